import { PlaceholderPage } from '../PlaceholderPage.tsx';

/** Readings waiting for a signed confirmation (R3.4). */
export function ConfirmPage() {
  return <PlaceholderPage titleKey="nav.readings" />;
}
