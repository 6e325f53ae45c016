import { PlaceholderPage } from '../PlaceholderPage.tsx';

/** The office's consumers pages (routes under /consumers). */
export function ConsumersArea() {
  return <PlaceholderPage titleKey="nav.consumers" />;
}
