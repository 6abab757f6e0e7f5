using MimeKit;

namespace Helpdesk.Monitoring.Outbound;

/// <summary>
/// The headers every helpdesk mail has: from, to, a Message-ID made from the event (the same on every attempt, so a
/// retried mail is recognisably one), and In-Reply-To/References naming the incident's thread root, so that a mail
/// client groups an incident's mails.
/// </summary>
internal static class MailEnvelope
{
    public static MimeMessage Make(string subject, string from, IEnumerable<string> to, string messageId, DateTimeOffset date, string threadRoot, string number)
    {
        var message = new MimeMessage { Subject = subject, MessageId = messageId, Date = date };
        message.From.Add(MailboxAddress.Parse(from));
        foreach (var address in to)
        {
            message.To.Add(MailboxAddress.Parse(address));
        }

        message.InReplyTo = threadRoot;
        message.References.Add(threadRoot);
        message.Headers.Add("X-Helpdesk-Incident", number);
        return message;
    }
}
