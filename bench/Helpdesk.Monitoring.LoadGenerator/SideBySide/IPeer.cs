namespace Helpdesk.Monitoring.LoadGenerator.SideBySide;

/// <summary>A system under test, started fresh with its own data directory: how it is fed and what it holds afterwards.</summary>
internal interface IPeer : IAsyncDisposable
{
    string Name { get; }

    int Pid { get; }

    /// <summary>The most bytes one notification of this estate takes in a request body.</summary>
    int MaxNotificationBytes { get; }

    /// <summary>Writes one notification at <paramref name="at"/> and returns where it ends.</summary>
    int Write(byte[] body, int at, int identity, Step step);

    /// <summary>Posts a JSON array of notifications; the count the system took (0 when it refused).</summary>
    Task<int> PostAsync(byte[] body, int length, int count);

    /// <summary>The identities the system holds as firing (open incidents, active alerts).</summary>
    Task<HashSet<int>> FiringAsync();
}
