import { Suspense } from 'react';
import { PageHeader } from '@/components/app/page-header';
import { ContactsTable } from '@/components/contacts/contacts-table';

export default function ContactsPage() {
  return (
    <>
      <PageHeader title="Contacts">The real people you correspond with.</PageHeader>
      <Suspense>
        <ContactsTable />
      </Suspense>
    </>
  );
}
