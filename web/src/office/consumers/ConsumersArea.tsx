import { Route, Routes } from 'react-router';
import { ConsumerCardPage } from './ConsumerCardPage.tsx';
import { ConsumersSearch } from './ConsumersSearch.tsx';
import { NewConsumerPage } from './NewConsumerPage.tsx';
import { VitrinaPage } from './VitrinaPage.tsx';

/** The office's consumers pages: the search, a new consumer, a consumer's card, an account's Vitrina on a day. */
export function ConsumersArea() {
  return (
    <Routes>
      <Route index element={<ConsumersSearch />} />
      <Route path="new" element={<NewConsumerPage />} />
      <Route path="vitrina/:contractId" element={<VitrinaPage />} />
      <Route path=":id" element={<ConsumerCardPage />} />
    </Routes>
  );
}
