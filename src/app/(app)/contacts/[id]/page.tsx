import { ContactProfile } from '@/components/contacts/contact-profile';

export default async function ContactPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <ContactProfile id={id} />;
}
