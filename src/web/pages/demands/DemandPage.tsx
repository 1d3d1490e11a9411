import { ArrowLeftOutlined, DisconnectOutlined, ReloadOutlined, SwapOutlined } from '@ant-design/icons';
import { isOpenOrder } from '../../../shared/work-orders.js';
import { Alert, App, Button, Card, Col, Flex, Row, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { Link, useLocation, useParams } from 'react-router-dom';
import { listUnits } from '../../api/client.js';
import { getDemand, type DemandDetail } from '../../api/demands.js';
import { LoadError, NotFound } from '../../components/StatusPages.js';
import { useLoad } from '../../components/useLoad.js';
import { useI18n } from '../../i18n/index.js';
import { AnswerCard } from './AnswerCard.js';
import { CaseCard } from './CaseCard.js';
import { isJoinedCall, type JoinedCallState } from './CaseCalls.js';
import { CallbackModal } from './CallbackModal.js';
import { ConflictBanner, useConflictGuard } from './conflict.js';
import { DeadlineList } from './DeadlineList.js';
import { DemandHeader } from './DemandHeader.js';
import { DemandTimeline } from './DemandTimeline.js';
import { DispatchModal } from './DispatchModal.js';
import { EscalateModal } from './EscalateModal.js';
import { HandOverModal } from './HandOverModal.js';
import { useMe } from '../../session/SessionProvider.js';
import { useExpertRights } from '../experts/labels.js';
import { DemandOutage } from '../outages/DemandOutage.js';
import { ConsultationsCard } from './ConsultationsCard.js';
import { ForwardModal } from './ForwardModal.js';
import { RaisedCard } from './RaisedCard.js';
import { useDemandRights, type DemandRights } from './rights.js';
import { SuggestModal } from './SuggestModal.js';
import { TaskList } from './TaskList.js';
import { UnlinkModal, type UnlinkTarget } from './UnlinkModal.js';
import { VerdictModal } from './VerdictModal.js';

type Dialog = 'dispatch' | 'callback' | 'escalate' | 'forward' | 'verdict' | 'suggest' | 'handOver' | null;

const MAX_LEVEL = 3;
/** A work order still with its unit: the one a further call urges. */

/** The actions the demand's state and the user's role allow now; the server decides again on every call. */
function allowed(demand: DemandDetail, rights: DemandRights, me: { id: number; lead: boolean }) {
  const open = demand.status !== 'closed';
  // A joined call is acted on through its case: the server answers 409 to anything else.
  const ownCase = !isJoinedCall(demand);
  return {
    dispatch: ownCase && rights.dispatch && (demand.status === 'open' || demand.status === 'dispatched'),
    // 首问答复 is the first contact's answer: once a unit has worked on the demand, it closes through the callback.
    // A repair is never answered on the call: the crew goes out.
    answer: ownCase && rights.register && demand.status === 'open' && demand.tasks.length === 0 && demand.type !== 'fault_repair',
    callback: ownCase && rights.callback && demand.status === 'awaiting_callback',
    escalate: ownCase && rights.escalate && open && demand.escalationLevel < MAX_LEVEL,
    forward: ownCase && open,
    unlink: !ownCase && rights.unlink,
    // Only a complaint is judged; the server also refuses a repeat call of a case (judged on its first complaint) and says so.
    verdict: rights.verdict && demand.type === 'complaint',
    suggest: rights.suggest,
    // 首问负责制: the owner hands an open demand over; a team lead any demand of the centre.
    handOver: ownCase && open && rights.handOver && (demand.ownerId === me.id || me.lead),
  };
}

/** The name of the unit that handled the demand first: one of its orders' units (its first order's, as a rule), or the tree's. */
function firstUnitName(demand: DemandDetail, units: readonly { id: number; name: string }[]): string | null {
  const id = demand.firstHandling.unitId;
  if (id === null) return null;
  return demand.tasks.find((task) => task.unitId === id)?.unitName ?? units.find((u) => u.id === id)?.name ?? null;
}

export default function DemandPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const id = Number(useParams().id);
  const rights = useDemandRights();
  const { user } = useMe();
  const seat = useExpertRights();
  const demand = useLoad(() => getDemand(id), String(id));
  // The unit tree is read for dispatching and forwarding, or when the first handling unit's name is known nowhere on the demand.
  const firstUnitUnknown = demand.data !== undefined && demand.data.firstHandling.unitId !== null && firstUnitName(demand.data, []) === null;
  const wantUnits = rights.dispatch || seat.forward || firstUnitUnknown;
  const units = useLoad(() => (wantUnits ? listUnits() : Promise.resolve([])), wantUnits ? 'units' : 'none');
  const { conflict, guard, clear } = useConflictGuard();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [unlinking, setUnlinking] = useState<UnlinkTarget | null>(null);
  // Arrived from the registration of a call that joined this case: it is said, and the call marked.
  const arrived = (useLocation().state as JoinedCallState | null)?.joinedCall;

  if (!Number.isInteger(id) || id <= 0) return <NotFound />;
  if (demand.error?.status === 404) return <NotFound />;
  if (demand.error && !demand.data) return <LoadError error={demand.error} onRetry={demand.reload} />;
  const data = demand.data;
  if (!data || data.id !== id) return <Spin style={{ display: 'block', marginTop: 64 }} />;

  const can = allowed(data, rights, { id: user.id, lead: user.roles.includes('team_lead') });
  const theCase = data.case;
  const joined = isJoinedCall(data);
  const ownCall = theCase?.calls.find((call) => call.id === data.id);
  const reload = () => {
    clear();
    demand.reload();
  };
  const done = (ok: boolean, text: string) => {
    setDialog(null);
    setUnlinking(null);
    // After a conflict the page keeps what the user saw until they choose to reload: the banner explains the difference.
    if (!ok) return;
    void message.success(text);
    demand.reload();
  };

  const actions = (
    <Space wrap>
      {can.dispatch && (
        <Button type="primary" onClick={() => setDialog('dispatch')} data-testid="dispatch-open">
          {t('dispatch.open')}
        </Button>
      )}
      {can.unlink && theCase && ownCall && (
        <Button
          icon={<DisconnectOutlined />}
          onClick={() => setUnlinking({ id: data.id, number: data.number, ordinal: ownCall.ordinal, caseNumber: theCase.number, version: data.version })}
          data-testid="unlink-open"
        >
          {t('unlink.open')}
        </Button>
      )}
      {seat.forward && can.forward && (
        <Button onClick={() => setDialog('forward')} data-testid="forward-open">
          {t('consultation.forward')}
        </Button>
      )}
      {can.callback && (
        <Button type="primary" onClick={() => setDialog('callback')} data-testid="callback-open">
          {t('callback.open')}
        </Button>
      )}
      {can.handOver && (
        <Button icon={<SwapOutlined />} onClick={() => setDialog('handOver')} data-testid="handover-open">
          {t('ownership.open')}
        </Button>
      )}
      {can.escalate && (
        <Button danger onClick={() => setDialog('escalate')} data-testid="escalate-open">
          {t('escalate.open')}
        </Button>
      )}
      {can.verdict && (
        <Button onClick={() => setDialog('verdict')} data-testid="verdict-open">
          {t('verdict.open')}
        </Button>
      )}
      {can.suggest && (
        <Button onClick={() => setDialog('suggest')} data-testid="suggest-open">
          {t('suggest.open')}
        </Button>
      )}
      <Button icon={<ReloadOutlined />} onClick={reload} loading={demand.loading} data-testid="demand-refresh">
        {t('common.refresh')}
      </Button>
    </Space>
  );

  return (
    <Flex vertical gap={16} data-testid="demand-page" data-version={data.version}>
      <Link to="/demands/list">
        <ArrowLeftOutlined /> {t('demands.backToList')}
      </Link>
      <ConflictBanner message={conflict} onReload={reload} />
      {joined && (
        <Alert
          type="warning"
          showIcon
          data-testid="joined-banner"
          title={
            theCase ? (
              <span>
                {t('case.joinedTitle', { ordinal: ownCall?.ordinal ?? data.callCount })}{' '}
                <Link to={`/demands/${theCase.id}`} data-testid="demand-case-link">
                  {theCase.number}
                </Link>
              </span>
            ) : (
              t('case.joinedNoNumber')
            )
          }
          description={t('case.joinedHint')}
        />
      )}
      {arrived && !joined && theCase && (
        <Alert
          type="success"
          showIcon
          closable
          data-testid="case-joined"
          title={t('case.arrivedTitle', { number: arrived.number, ordinal: arrived.ordinal })}
          description={data.tasks.some((task) => task.urgeCount > 0 && isOpenOrder(task.status)) ? t('case.arrivedUrged') : t('case.arrivedHint')}
        />
      )}
      <DemandOutage demand={data} />
      <DemandHeader demand={data} actions={actions} firstUnitName={firstUnitName(data, units.data ?? [])} />
      {can.answer && (
        <div>
          <AnswerCard key={data.version} demand={data} guard={guard} onDone={done} />
        </div>
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Flex vertical gap={16}>
            {theCase && (
              <CaseCard
                theCase={theCase}
                currentId={data.id}
                currentVersion={data.version}
                highlightId={arrived?.id}
                onUnlink={rights.unlink ? setUnlinking : undefined}
              />
            )}
            <RaisedCard demand={data} />
            {joined && theCase ? (
              // A joined call has no clocks or orders of its own: they are the case's, one click away.
              <Card size="small" title={t('case.workTitle')} data-testid="joined-work">
                <Typography.Text type="secondary">{t('case.workOnCase')} </Typography.Text>
                <Link to={`/demands/${theCase.id}`}>{theCase.number}</Link>
              </Card>
            ) : (
              <>
                <DeadlineList demand={data} />
                {seat.readRecords && <ConsultationsCard demandId={data.id} refreshKey={`${data.version}:${data.timeline.length}`} />}
                <TaskList tasks={data.tasks} />
              </>
            )}
          </Flex>
        </Col>
        <Col xs={24} xl={10}>
          <Card size="small" title={t('demand.timeline')}>
            <DemandTimeline events={data.timeline} tasks={data.tasks} calls={theCase?.calls} />
          </Card>
        </Col>
      </Row>
      <DispatchModal demand={data} units={units.data ?? []} open={dialog === 'dispatch'} onClose={() => setDialog(null)} onDone={done} guard={guard} />
      <CallbackModal demand={data} open={dialog === 'callback'} onClose={() => setDialog(null)} onDone={done} guard={guard} />
      <EscalateModal demand={data} open={dialog === 'escalate'} onClose={() => setDialog(null)} onDone={done} guard={guard} />
      <ForwardModal demand={data} units={units.data ?? []} open={dialog === 'forward'} onClose={() => setDialog(null)} onDone={done} guard={guard} />
      <VerdictModal demand={data} open={dialog === 'verdict'} onClose={() => setDialog(null)} onDone={done} guard={guard} />
      <SuggestModal demand={data} open={dialog === 'suggest'} onClose={() => setDialog(null)} />
      <HandOverModal demand={data} open={dialog === 'handOver'} onClose={() => setDialog(null)} onDone={done} guard={guard} />
      <UnlinkModal target={unlinking} onClose={() => setUnlinking(null)} onDone={done} guard={guard} />
    </Flex>
  );
}
