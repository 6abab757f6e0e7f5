namespace Helpdesk.Monitoring.IntegrationTests.Kafka;

/// <summary>
/// Ends a Kafka client or the mock cluster a test made, waiting 30 s at most. librdkafka's destroy joins its threads
/// and has been reported to hang now and then (librdkafka issue 5434); a reader the test has finished with is not worth
/// a test run that never ends, so a destroy still running after the bound is left to finish, or not, on its own.
/// </summary>
internal sealed class BoundedEnd(IDisposable client) : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    public static BoundedEnd Of(IDisposable client) => new(client);

    public void Dispose() => _ = Task.Run(client.Dispose).Wait(Bound);
}
