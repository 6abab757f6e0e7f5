using Helpdesk.Monitoring.Files;
using Helpdesk.Monitoring.People;
using Microsoft.Extensions.Logging;

namespace Helpdesk.Monitoring.Hosting.Identity;

/// <summary>
/// The users file as the service knows it. <c>helpdesk users</c> changes the file while the service runs: it is read
/// again when its time or size changed, looked at no more than every two seconds and only when someone signs in or
/// calls with a token, so an idle service does nothing. A file that became unreadable or wrong keeps the last good
/// version in force, and the log says why.
/// </summary>
/// <param name="initialVersion">The file's time and size taken before <paramref name="initial"/> was read: this
/// source is made at the first request, and a file changed between the start and then must still count as changed.</param>
public sealed class UserSource(string path, UserDirectory initial, (DateTime, long) initialVersion, TimeProvider time, ILogger<UserSource> log)
{
    private static readonly TimeSpan LookEvery = TimeSpan.FromSeconds(2);
    private readonly Lock _gate = new();
    private UserDirectory _current = initial;
    private (DateTime, long) _version = initialVersion;
    // As if last looked at one interval ago: the first caller looks at once (this source is made at the first request,
    // which may come right after the first person was added to a service started without any).
    private long _lookedAt = time.GetTimestamp() - (long)(LookEvery.TotalSeconds * time.TimestampFrequency);

    public string Path => path;

    public UserDirectory Current
    {
        get
        {
            if (time.GetElapsedTime(Volatile.Read(ref _lookedAt)) < LookEvery)
            {
                return Volatile.Read(ref _current);
            }

            lock (_gate)
            {
                if (time.GetElapsedTime(_lookedAt) >= LookEvery)
                {
                    _lookedAt = time.GetTimestamp();
                    var version = UsersFile.Version(path);
                    if (version != _version)
                    {
                        _version = version;
                        Reload();
                    }
                }

                return _current;
            }
        }
    }

    private void Reload()
    {
        var (directory, errors) = UsersFile.Read(path);
        if (directory is null)
        {
            log.LogError("The users file changed but cannot be used, so the users read before stay in force: {Errors}", string.Join("; ", errors));
            return;
        }

        Volatile.Write(ref _current, directory);
        log.LogInformation("Read the users file {Path} again: {Count} users", path, directory.Users.Count);
    }
}
