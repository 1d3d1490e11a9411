import { GlobalOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useI18n } from '../i18n/index.js';

/** One button toggling between the two languages: its label names the language it switches to. */
export function LangSwitch({ type = 'text' }: { type?: 'text' | 'default' }) {
  const { lang, setLang, t } = useI18n();
  return (
    <Button type={type} icon={<GlobalOutlined />} data-testid="lang-switch" onClick={() => setLang(lang === 'zh-CN' ? 'en' : 'zh-CN')}>
      {t('lang.switch')}
    </Button>
  );
}
