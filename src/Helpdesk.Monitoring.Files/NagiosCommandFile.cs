using System.Runtime.InteropServices;
using System.Text;

namespace Helpdesk.Monitoring.Files;

/// <summary>
/// Writes lines to a Nagios external command file, which is a FIFO. It is opened without blocking (a stopped Nagios
/// has no reader: the open fails at once instead of hanging), without following a link, and only if it really is a
/// FIFO (a misconfigured path to a regular file is never appended to). Each line is one write of under 4 KiB, which
/// a pipe takes whole or not at all.
/// </summary>
public static partial class NagiosCommandFile
{
    private const int WriteOnly = 0x1;
    private const int NonBlocking = 0x800;
    private const int NoFollow = 0x20000;
    private const int CloseOnExec = 0x80000;
    private const int TypeMask = 0xF000;
    private const int Fifo = 0x1000;
    private const int NoEntry = 2;
    private const int NoReader = 6;
    private const int Again = 11;
    private const int Denied = 13;
    private const int Loop = 40;

    /// <summary>Writes every line (each ending in a newline), waiting up to <paramref name="timeout"/> while the pipe is full.</summary>
    /// <exception cref="IOException">With a sentence a Nagios admin can act on.</exception>
    public static async Task WriteAsync(string path, IReadOnlyList<string> lines, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var fd = Open(path, WriteOnly | NonBlocking | NoFollow | CloseOnExec);
        if (fd < 0)
        {
            throw new IOException(OpenError(path, Marshal.GetLastPInvokeError()));
        }

        try
        {
            if (!UnixStat.TryOfDescriptor(fd, out var mode, out _) || (mode & TypeMask) != Fifo)
            {
                throw new IOException($"{path} is not a FIFO, so it is not Nagios' external command file (command_file in nagios.cfg); nothing was written to it");
            }

            var started = time.GetTimestamp();
            foreach (var line in lines)
            {
                var bytes = Encoding.UTF8.GetBytes(line + "\n");
                while (Write(fd, bytes, bytes.Length) < 0)
                {
                    var error = Marshal.GetLastPInvokeError();
                    if (error != Again || time.GetElapsedTime(started) > timeout)
                    {
                        throw new IOException(error == Again
                            ? $"Nagios did not read its command file {path} within {timeout.TotalSeconds:0.#} s (the pipe stayed full)"
                            : $"writing to Nagios' command file {path} failed (errno {error})");
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(10), time, cancellationToken);
                }
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private static string OpenError(string path, int errno) => errno switch
    {
        NoReader => $"Nagios is not reading its command file {path}: is it running, with check_external_commands=1?",
        NoEntry => $"the Nagios command file {path} does not exist: is Nagios running, and is this its command_file?",
        Denied => $"permission denied on the Nagios command file {path}: the service's user must be in the group that may write it",
        Loop => $"the Nagios command file {path} is a symbolic link: give the path of the FIFO itself",
        _ => $"the Nagios command file {path} cannot be opened (errno {errno})",
    };

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(int fd, byte[] buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
