import { DatePicker, Form, Input, Radio, Typography, type GetRef } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useRef } from 'react';
import { answerTransferItem, type TransferItem } from '../../api/evaluation.js';
import { FormModal } from '../../components/FormModal.js';
import { useI18n } from '../../i18n/index.js';
import { todayIn } from '../../i18n/time.js';
import { useCodeWord } from './labels.js';

interface Values {
  measures: string;
  resolved: boolean;
  expectedBy?: Dayjs | null;
  owner?: string;
}

/**
 * The department's answer to a transfer item: the measures, whether the
 * matter is resolved, by when it will be when it is not, and who carries it
 * out. Made to be filled from the keyboard: the measures take the focus, the
 * choice moves with the arrow keys, the date is typed, Enter in the last field saves.
 */
export function AnswerModal({ item, onClose, onDone }: { item: TransferItem | null; onClose: () => void; onDone: (item: TransferItem) => void }) {
  const { t, timeZone } = useI18n();
  const word = useCodeWord();
  const [form] = Form.useForm<Values>();
  const resolved = Form.useWatch('resolved', form);
  const measures = useRef<GetRef<typeof Input.TextArea>>(null);
  useEffect(() => {
    if (!item) return;
    form.resetFields();
    if (item.answer)
      form.setFieldsValue({
        measures: item.answer.measures,
        resolved: item.answer.resolved,
        expectedBy: item.answer.expectedBy ? dayjs(item.answer.expectedBy) : null,
        owner: item.answer.owner ?? '',
      });
  }, [item, form]);
  const submit = async (v: Values) => {
    const answered = await answerTransferItem(item!, {
      measures: v.measures.trim(),
      resolved: v.resolved,
      ...(v.expectedBy && { expectedBy: v.expectedBy.format('YYYY-MM-DD') }),
      ...(v.owner?.trim() && { owner: v.owner.trim() }),
    });
    onDone(answered);
  };
  const today = todayIn(timeZone);
  return (
    <FormModal
      form={form}
      open={item !== null}
      // The measures take the focus as the dialog opens, so the answer starts with typing.
      afterOpenChange={(open) => open && measures.current?.focus()}
      title={item ? t('loop.transfer.answerTitle', { number: item.number }) : ''}
      onCancel={onClose}
      onSubmit={submit}
      testId="answer-form"
      intro={
        item && (
          <Typography.Paragraph type="secondary" style={{ whiteSpace: 'pre-wrap' }}>
            {item.content}
            <br />
            {t('loop.transfer.raisedBecause', { from: item.fromUnitName, reason: word('loop.transfer.reason', item.reason) })}
            {item.unresolvedReason && `（${word('loop.transfer.unresolvedReason', item.unresolvedReason)}）`}
            {item.firstFindings && (
              <>
                <br />
                {t('loop.transfer.firstFindings')}：{item.firstFindings}
              </>
            )}
          </Typography.Paragraph>
        )
      }
    >
      <Form.Item name="measures" label={t('loop.transfer.measures')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
        <Input.TextArea rows={4} maxLength={4000} showCount ref={measures} placeholder={t('loop.transfer.measuresHint')} data-testid="answer-measures" />
      </Form.Item>
      <Form.Item name="resolved" label={t('loop.transfer.resolvedQuestion')} rules={[{ required: true, message: t('loop.transfer.resolvedRequired') }]}>
        <Radio.Group data-testid="answer-resolved">
          <Radio value={true} data-testid="answer-resolved-yes">
            {t('loop.transfer.resolved')}
          </Radio>
          <Radio value={false} data-testid="answer-resolved-no">
            {t('loop.transfer.unresolved')}
          </Radio>
        </Radio.Group>
      </Form.Item>
      <Form.Item
        name="expectedBy"
        dependencies={['resolved']}
        label={t('loop.transfer.expectedBy')}
        extra={resolved === false ? t('loop.transfer.expectedByHint') : undefined}
        rules={[{ required: resolved === false, message: t('loop.transfer.expectedByRequired') }]}
      >
        <DatePicker format="YYYY-MM-DD" placeholder="YYYY-MM-DD" disabledDate={(d) => d.format('YYYY-MM-DD') < today} data-testid="answer-expected" />
      </Form.Item>
      <Form.Item name="owner" label={t('loop.transfer.owner')}>
        <Input maxLength={100} placeholder={t('loop.transfer.ownerHint')} onPressEnter={() => form.submit()} data-testid="answer-owner" />
      </Form.Item>
    </FormModal>
  );
}
