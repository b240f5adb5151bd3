import { Suspense } from 'react';
import { PageHeader } from '@/components/app/page-header';
import { ContactsTable } from '@/components/contacts/contacts-table';
import { contactListInput, readContactListParams } from '@/lib/contact-list-input';
import { prefetch } from '@/server/api/prefetch';

export default async function ContactsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const raw = await searchParams;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') params.set(k, v);
  const { Hydrate } = await prefetch((trpc) => [
    trpc.contacts.list.queryOptions(contactListInput(readContactListParams(params))),
  ]);
  return (
    <>
      <PageHeader title="Contacts">The real people you correspond with.</PageHeader>
      <Hydrate>
        <Suspense>
          <ContactsTable />
        </Suspense>
      </Hydrate>
    </>
  );
}
