using System.Diagnostics;
using MimeKit;

namespace Helpdesk.Monitoring.IntegrationTests.Fixtures;

/// <summary>
/// A real SMTP server: Debian's aiosmtpd (python3-aiosmtpd, which the test command installs), on a free loopback port,
/// keeping every mail it takes in a Maildir the test reads back with MimeKit.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _maildir;

    private SmtpSink(Process process, int port, string maildir)
    {
        _process = process;
        Port = port;
        _maildir = maildir;
    }

    public int Port { get; }

    public static async Task<SmtpSink> StartAsync(string directory)
    {
        var port = ServiceProcess.FreePort();
        var maildir = Path.Combine(directory, "maildir");
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            ArgumentList = { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox", maildir },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("python3 with aiosmtpd is not installed: the test command installs Debian's 'python3-aiosmtpd' package", ex);
        }

        var sink = new SmtpSink(process, port, maildir);
        var watch = Stopwatch.StartNew();
        while (!await ListensAsync(port))
        {
            if (process.HasExited || watch.Elapsed > TimeSpan.FromSeconds(15))
            {
                var error = process.HasExited ? await process.StandardError.ReadToEndAsync() : "no answer within 15 s";
                await sink.DisposeAsync();
                throw new InvalidOperationException($"aiosmtpd did not start on port {port}: {error}");
            }

            await Task.Delay(100);
        }

        return sink;
    }

    /// <summary>The mails taken so far, oldest first.</summary>
    public List<MimeMessage> Mails() =>
        [.. new[] { "new", "cur" }.Select(d => Path.Combine(_maildir, d)).Where(Directory.Exists)
            .SelectMany(Directory.GetFiles).Select(f => (File: f, Message: MimeMessage.Load(f)))
            .OrderBy(m => m.Message.Date).ThenBy(m => File.GetLastWriteTimeUtc(m.File)).Select(m => m.Message)];

    public async Task<List<MimeMessage>> WaitForAsync(int count, TimeSpan timeout, Func<string> context)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var mails = Mails();
            if (mails.Count >= count)
            {
                return mails;
            }

            Assert.True(watch.Elapsed < timeout, $"the SMTP server took {mails.Count} of {count} mails\n{context()}");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static async Task<bool> ListensAsync(int port)
    {
        using var client = new System.Net.Sockets.TcpClient();
        try
        {
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
