using MimeKit;

namespace Helpdesk.Monitoring.Outbound;

/// <summary>
/// The headers every helpdesk mail has: from, to, a Message-ID made from the event (the same on every attempt, so a
/// retried mail is recognisably one), and In-Reply-To/References naming the incident's thread root, so that a mail
/// client groups an incident's mails. Every mail says it was sent by a program, so that out-of-office replies and
/// the auto-answers of a customer's own ticket system do not come back to the sender (two systems answering each other
/// make a mail loop).
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
        return Automatic(message);
    }

    /// <summary>
    /// Marks a mail as sent by a program: <c>Auto-Submitted: auto-generated</c> (RFC 3834, which auto-responders must
    /// not answer) and <c>X-Auto-Response-Suppress: All</c> (Exchange and Outlook read this one instead).
    /// </summary>
    public static MimeMessage Automatic(MimeMessage message)
    {
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Headers.Add("X-Auto-Response-Suppress", "All");
        return message;
    }
}
