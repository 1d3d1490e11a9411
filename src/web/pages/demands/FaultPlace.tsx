import { Col, Form, Input, Select, Spin, Tag, type GetRef } from 'antd';
import { useEffect, useMemo, useRef, useState, type Ref } from 'react';
import { searchPlaces, type CustomerMatch, type Place } from '../../api/demands.js';
import { useReportError } from '../../components/errors.js';
import { useI18n } from '../../i18n/index.js';

// A fault repair says where the fault is: the address as the caller says it,
// and its place on the network (a 台区 or a feeder), by which the repair goes
// to that place's station. The matched customer's are offered first; any
// other is searched by a part of its name.

/** `district:12` or `feeder:5`: a place as the form holds it. */
export type PlaceValue = `${Place['kind']}:${number}`;

export const placeValue = (place: { kind: Place['kind']; id: number }): PlaceValue => `${place.kind}:${place.id}`;

/** The body's districtId or feederId for the place picked. */
export function placeIds(value: string | undefined): { districtId?: number; feederId?: number } {
  const match = /^(district|feeder):(\d+)$/.exec(value ?? '');
  if (!match) return {};
  return match[1] === 'district' ? { districtId: Number(match[2]) } : { feederId: Number(match[2]) };
}

/** The customer's own 台区 and feeder, as places. */
export function customerPlaces(customer: CustomerMatch): Place[] {
  return [
    {
      kind: 'district',
      id: customer.districtId,
      name: customer.districtName,
      stationId: customer.stationId,
      stationName: customer.stationName,
      feederName: customer.feederName,
    },
    {
      kind: 'feeder',
      id: customer.feederId,
      name: customer.feederName,
      stationId: customer.stationId,
      stationName: customer.stationName,
      feederName: customer.feederName,
    },
  ];
}

const SEARCH_DEBOUNCE_MS = 300;

interface Props {
  customer: CustomerMatch | null;
  addressRef?: Ref<GetRef<typeof Input>>;
  placeRef?: Ref<GetRef<typeof Select>>;
  /** After the place is picked: the next field of the call. */
  onPlaced?: () => void;
}

export function FaultPlaceFields({ customer, addressRef, placeRef, onPlaced }: Props) {
  const { t } = useI18n();
  const report = useReportError();
  const [found, setFound] = useState<Place[]>([]);
  const [searching, setSearching] = useState(false);
  const [typed, setTyped] = useState('');
  const latest = useRef(0);

  useEffect(() => {
    const q = typed.trim();
    const mine = ++latest.current;
    if (!q) {
      setFound([]);
      setSearching(false);
      return;
    }
    setSearching(true);
    const timer = setTimeout(() => {
      searchPlaces(q).then(
        (answer) => mine === latest.current && (setFound(answer.items), setSearching(false)),
        (err: unknown) => {
          if (mine !== latest.current) return;
          setSearching(false);
          report(err);
        },
      );
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [typed, report]);

  // The customer's places while nothing is typed (and the one picked from a search); what the search found while typing.
  const [chosen, setChosen] = useState<Place | null>(null);
  const shown = useMemo(() => {
    if (typed.trim()) return found;
    const list = customer ? customerPlaces(customer) : [];
    if (chosen && !list.some((p) => placeValue(p) === placeValue(chosen))) list.push(chosen);
    return list;
  }, [customer, found, typed, chosen]);
  const options = shown.map((p) => ({
    value: placeValue(p),
    label: (
      <span>
        <Tag color={p.kind === 'district' ? 'blue' : 'purple'} style={{ marginInlineEnd: 6 }}>
          {p.kind === 'district' ? t('place.district') : t('place.feeder')}
        </Tag>
        {p.name}
        {p.kind === 'district' && p.feederName && ` · ${p.feederName}`}
        {p.stationName && ` · ${p.stationName}`}
      </span>
    ),
  }));

  return (
    <>
      <Col xs={24} md={12}>
        <Form.Item name="faultAddress" label={t('demand.faultAddress')} extra={customer ? t('place.addressFromCustomer') : undefined}>
          <Input ref={addressRef} maxLength={300} placeholder={t('place.addressPlaceholder')} data-testid="demand-fault-address" />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name="place" label={t('place.label')} extra={t('place.hint')}>
          <Select
            ref={placeRef}
            allowClear
            showSearch={{ filterOption: false, onSearch: setTyped }}
            placeholder={t('place.placeholder')}
            notFoundContent={searching ? <Spin size="small" /> : typed.trim() ? t('place.noneFound') : t('place.typeToSearch')}
            options={options}
            onSelect={(value: string) => {
              setChosen(shown.find((p) => placeValue(p) === value) ?? null);
              setTyped('');
              onPlaced?.();
            }}
            data-testid="demand-place"
          />
        </Form.Item>
      </Col>
    </>
  );
}
