import { Route, Routes } from 'react-router';
import { ConfirmPage } from './ConfirmPage.tsx';
import { ReadingsPage } from './ReadingsPage.tsx';

/** The office's readings pages (routes under /readings). */
export function ReadingsArea() {
  return (
    <Routes>
      <Route index element={<ReadingsPage />} />
      <Route path="confirm" element={<ConfirmPage />} />
    </Routes>
  );
}
