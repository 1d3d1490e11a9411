import { ModulePlaceholder } from '../../components/StatusPages.js';

// The outages module is built by later work; until then the area says so plainly.
export default function OutagesPage() {
  return <ModulePlaceholder area="outages" />;
}
