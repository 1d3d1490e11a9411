import { Empty } from 'antd';

// Placeholder: replaced by the page itself (issue 17).
export default function ApplicationPage() {
  return <Empty />;
}
