import { ModulePlaceholder } from '../../components/StatusPages.js';

// The experts module is built by later work; until then the area says so plainly.
export default function ExpertsPage() {
  return <ModulePlaceholder area="experts" />;
}
