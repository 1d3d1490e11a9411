import { ModulePlaceholder } from '../../components/StatusPages.js';

// The demands module is built by later work; until then the area says so plainly.
export default function DemandsPage() {
  return <ModulePlaceholder area="demands" />;
}
