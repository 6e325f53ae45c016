import { PlaceholderPage } from '../PlaceholderPage.tsx';

/** The office's billing pages (routes under /billing). */
export function BillingArea() {
  return <PlaceholderPage titleKey="nav.billing" />;
}
