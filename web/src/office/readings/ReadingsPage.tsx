import { PlaceholderPage } from '../PlaceholderPage.tsx';

/** Readings: entry, bulk upload and the VEE queue (R3.1, R3.2). */
export function ReadingsPage() {
  return <PlaceholderPage titleKey="nav.readings" />;
}
