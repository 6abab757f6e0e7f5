using System.Net;
using System.Text;
using System.Text.Json;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Tests;

namespace Helpdesk.Monitoring.IntegrationTests.Service;

/// <summary>
/// What a sender hears when the service cannot take its records now: 503 with Retry-After while it starts, when its
/// in-flight bound is full, and when a commit takes longer than the caller may wait; and that nothing answered 503
/// is lost or doubled when sent again. The store is held by another writer to make it slow.
/// </summary>
public sealed class IngestBackPressureTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Database => _dir.Combine("helpdesk.db");

    [Fact]
    public async Task While_the_in_flight_bound_is_full_a_post_gets_503_with_retry_after_and_the_first_still_commits()
    {
        await using var service = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string> { ["Helpdesk__Api__MaxInFlight"] = "100" });
        Task<HttpResponseMessage> first;
        await using (SqliteWriteLock.Hold(Database))
        {
            first = service.PostNotificationsAsync(Batch("first", 80));
            await service.WaitForMetricAsync("helpdesk_store_failing_seconds", v => v > 0, TimeSpan.FromSeconds(30));

            using var busy = await service.PostNotificationsAsync(Batch("second", 30));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
            Assert.Equal("1", busy.Headers.GetValues("Retry-After").Single());
            Assert.Contains("records are waiting for the store", await busy.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var committed = await first.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, committed.StatusCode);
        Assert.Equal(80, (await service.GetJsonAsync("/api/v1/incidents?pageSize=500")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task A_commit_slower_than_the_callers_wait_answers_503_and_the_records_still_commit_once()
    {
        await using var service = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string> { ["Helpdesk__Api__CommitTimeout"] = "00:00:01" });
        var batch = Batch("slow", 10);
        await using (SqliteWriteLock.Hold(Database))
        {
            using var late = await service.PostNotificationsAsync(batch);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, late.StatusCode);
            Assert.Equal("5", late.Headers.GetValues("Retry-After").Single());
            Assert.Contains("sending it again with the same ids is safe", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // The sender does what the answer says: the same records again. They were committed once, and count once.
        using var again = await service.PostNotificationsAsync(batch);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(10, JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement.GetProperty("duplicates").GetInt32());
        var page = await service.GetJsonAsync("/api/v1/incidents?pageSize=500");
        Assert.All(page.GetProperty("items").EnumerateArray(), i => Assert.Equal(1, i.GetProperty("alertCount").GetInt64()));
    }

    [Fact]
    public async Task While_the_service_is_starting_a_post_gets_503_with_retry_after()
    {
        // A first run makes the database; the second start then waits on the store another process holds whole.
        await using (await ServiceProcess.StartAsync(_dir.Path))
        {
        }

        using var blocker = SqliteWriteLock.HoldReadsToo(Database);
        await using var starting = await ServiceProcess.StartAsync(_dir.Path, waitReady: false);
        HttpResponseMessage? answer = null;
        for (var i = 0; i < 300 && answer is null; i++)
        {
            try
            {
                answer = await starting.PostNotificationsAsync(Batch("early", 1));
            }
            catch (HttpRequestException)
            {
                await Task.Delay(50);
            }
        }

        using (answer)
        {
            Assert.NotNull(answer);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
            Assert.Equal("1", answer.Headers.GetValues("Retry-After").Single());
            Assert.Contains("not ready", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    private static byte[] Batch(string prefix, int count) =>
        Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Range(0, count).Select(i =>
            Encoding.UTF8.GetString(Records.Bytes(Records.Service(NotificationType.Problem, host: $"{prefix}{i:D3}",
                timeT: DateTimeOffset.UtcNow.ToUnixTimeSeconds()))))) + "]");
}
