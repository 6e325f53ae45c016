import { PlaceholderPage } from '../PlaceholderPage.tsx';

/** The office's payments pages (routes under /payments). */
export function PaymentsArea() {
  return <PlaceholderPage titleKey="nav.payments" />;
}
