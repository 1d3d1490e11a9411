import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Empty, Flex, Popover, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { notificationPath, type AppNotification } from '../api/notifications.js';
import { useI18n } from '../i18n/index.js';
import { notificationColor, useNotificationLabel } from './labels.js';
import { useNotifications } from './NotificationsProvider.js';

function Item({ n, unseen, onOpen }: { n: AppNotification; unseen: boolean; onOpen: () => void }) {
  const { formatTime } = useI18n();
  const label = useNotificationLabel();
  const body = (
    <Flex vertical gap={2}>
      <Flex align="center" gap={6}>
        <Tag color={notificationColor(n.kind)} style={{ marginInlineEnd: 0 }}>
          {label(n.kind)}
        </Tag>
        <Typography.Text strong={unseen} ellipsis style={{ maxWidth: 240 }}>
          {n.title}
        </Typography.Text>
      </Flex>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {formatTime(n.createdAt)}
      </Typography.Text>
    </Flex>
  );
  const style = { display: 'block', padding: '8px 4px', borderBottom: '1px solid rgba(5,5,5,0.06)', color: 'inherit' };
  const path = notificationPath(n);
  return path === null ? (
    <div style={style} data-testid="notification-item" data-kind={n.kind}>
      {body}
    </div>
  ) : (
    <Link
      to={path}
      onClick={onOpen}
      style={style}
      data-testid="notification-item"
      data-kind={n.kind}
      data-demand-id={n.demandId ?? undefined}
      data-consultation-id={n.consultationId ?? undefined}
    >
      {body}
    </Link>
  );
}

/** The header's bell: how many notifications are new since the user last looked, and the recent ones. */
export function NotificationBell() {
  const { t } = useI18n();
  const { items, unseen, connected, seenId, markSeen } = useNotifications();
  const [open, setOpen] = useState(false);
  // What was new when the list opened stays marked as new while it is open; the count clears at once.
  const [newerThan, setNewerThan] = useState(seenId);

  const onOpenChange = (next: boolean) => {
    if (next) {
      setNewerThan(seenId);
      markSeen();
    }
    setOpen(next);
  };

  const list = (
    <div style={{ width: 360, maxHeight: 420, overflowY: 'auto' }} data-testid="notification-list">
      {items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notify.empty')} />
      ) : (
        items.map((n) => <Item key={n.id} n={n} unseen={n.id > newerThan} onOpen={() => setOpen(false)} />)
      )}
    </div>
  );

  return (
    <Popover content={list} title={t('notify.recent')} trigger="click" placement="bottomRight" open={open} onOpenChange={onOpenChange}>
      <Button type="text" aria-label={t('notify.bell')} data-testid="notification-bell" data-unseen={unseen} data-live={connected}>
        <Badge count={unseen} size="small" overflowCount={99}>
          {/* Greyed while the live channel is down: the list may then be behind. */}
          <BellOutlined style={{ fontSize: 18, opacity: connected ? 1 : 0.45 }} />
        </Badge>
      </Button>
    </Popover>
  );
}
