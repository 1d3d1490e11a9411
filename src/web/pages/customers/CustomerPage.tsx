import { useParams } from 'react-router-dom';
import { CustomerRecordView } from './CustomerRecordView.js';

/** /customers/:id: the customer record (客户视图). */
export default function CustomerPage() {
  const { id } = useParams();
  return <CustomerRecordView key={id} customerId={Number(id)} />;
}
