using System.Net;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Helpdesk.Monitoring.Outbound;

/// <summary>
/// Hands one message to an SMTP server (MailKit), and says in a sentence why not: a 5xx answer is permanent (a bad
/// address), anything else (4xx, a refused connection, a TLS failure, a server without the STARTTLS or AUTH the settings
/// ask for) may work on a later attempt.
/// </summary>
public static class SmtpSubmission
{
    public static async Task SendAsync(SmtpOptions smtp, MimeMessage message, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient();
        try
        {
            await client.ConnectAsync(smtp.Host, smtp.Port, Security(smtp.Security), cancellationToken);
            if (smtp.User.Length > 0)
            {
                await client.AuthenticateAsync(new NetworkCredential(smtp.User, smtp.Password), cancellationToken);
            }

            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (SmtpCommandException ex)
        {
            throw new DeliveryFailedException($"the mail server {smtp.Host}:{smtp.Port} answered {(int)ex.StatusCode}: {ex.Message}",
                permanent: (int)ex.StatusCode >= 500, ex);
        }
        catch (Exception ex) when (ex is SocketException or IOException or SmtpProtocolException or AuthenticationException or SslHandshakeException
            or ServiceNotConnectedException or ServiceNotAuthenticatedException)
        {
            throw new DeliveryFailedException($"the mail server {smtp.Host}:{smtp.Port} could not take the mail: {ex.Message}", permanent: false, ex);
        }
        catch (NotSupportedException ex)
        {
            // MailKit's word for a server that does not offer what the settings ask (STARTTLS, AUTH).
            throw new DeliveryFailedException($"the mail server {smtp.Host}:{smtp.Port} could not take the mail: {ex.Message.TrimEnd('.')} "
                + $"(the channel's Smtp:Security is {smtp.Security}{(smtp.User.Length > 0 ? " and Smtp:User is set" : "")})", permanent: false, ex);
        }
    }

    private static SecureSocketOptions Security(string security) => security switch
    {
        "None" => SecureSocketOptions.None,
        "SslOnConnect" => SecureSocketOptions.SslOnConnect,
        "Auto" => SecureSocketOptions.Auto,
        _ => SecureSocketOptions.StartTls,
    };
}
