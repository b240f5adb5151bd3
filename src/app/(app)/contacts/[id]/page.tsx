import { ContactProfile } from '@/components/contacts/contact-profile';
import { prefetch } from '@/server/api/prefetch';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function ContactPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  // Not an id at all: nothing to prefetch, the client says the contact does not exist.
  const { Hydrate } = await prefetch((trpc) =>
    UUID.test(id)
      ? [trpc.contacts.byId.queryOptions({ id }), trpc.contacts.stats.queryOptions({ id })]
      : [],
  );
  return (
    <Hydrate>
      <ContactProfile id={id} />
    </Hydrate>
  );
}
