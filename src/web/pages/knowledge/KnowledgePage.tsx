import { ModulePlaceholder } from '../../components/StatusPages.js';

// The knowledge module is built by later work; until then the area says so plainly.
export default function KnowledgePage() {
  return <ModulePlaceholder area="knowledge" />;
}
