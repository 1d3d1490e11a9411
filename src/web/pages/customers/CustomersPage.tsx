import { ModulePlaceholder } from '../../components/StatusPages.js';

// The customers module is built by later work; until then the area says so plainly.
export default function CustomersPage() {
  return <ModulePlaceholder area="customers" />;
}
