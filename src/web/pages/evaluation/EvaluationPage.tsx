import { ModulePlaceholder } from '../../components/StatusPages.js';

// The evaluation module is built by later work; until then the area says so plainly.
export default function EvaluationPage() {
  return <ModulePlaceholder area="evaluation" />;
}
