import { ModulePlaceholder } from '../../components/StatusPages.js';

// Placeholder until the page is built (issue 18).
export default function HotIssuesPage() {
  return <ModulePlaceholder area="reports" />;
}
