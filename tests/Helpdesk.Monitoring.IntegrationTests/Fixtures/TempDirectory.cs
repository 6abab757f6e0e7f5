namespace Helpdesk.Monitoring.IntegrationTests.Fixtures;

/// <summary>A directory of its own for one test, removed afterwards.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "helpdesk-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        // A child process that was just stopped (the service, Nagios) may still write or remove a file for a moment, and
        // a recursive delete that meets one gives up; a few tries a little apart outlast that moment.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (Directory.Exists(Path))
                {
                    Directory.Delete(Path, recursive: true);
                }

                return;
            }
            catch (IOException) when (attempt < 20)
            {
                Thread.Sleep(50);
            }
            catch (IOException)
            {
                return; // still held after a second: the OS temp cleaner takes the rest
            }
        }
    }
}
