import { PlaceholderPage } from '../PlaceholderPage.tsx';

/** The office's inbox pages (routes under /inbox). */
export function InboxArea() {
  return <PlaceholderPage titleKey="nav.inbox" />;
}
