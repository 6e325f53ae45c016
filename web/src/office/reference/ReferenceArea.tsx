import { PlaceholderPage } from '../PlaceholderPage.tsx';

/** The office's reference-data pages (routes under /reference). */
export function ReferenceArea() {
  return <PlaceholderPage titleKey="nav.reference" />;
}
