using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Helpdesk.Monitoring.IntegrationTests.Fixtures;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Tests;

namespace Helpdesk.Monitoring.IntegrationTests.Service;

/// <summary>POST /api/v1/notifications and the read API against the real service process.</summary>
public sealed class IngestApiIntegrationTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private ServiceProcess _service = null!;

    public async Task InitializeAsync() =>
        _service = await ServiceProcess.StartAsync(_dir.Path, new Dictionary<string, string>
        {
            ["Helpdesk__Api__MaxBodyBytes"] = "65536",
            ["Helpdesk__Api__MaxInFlight"] = "150",
        });

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Writes_need_an_ingest_key()
    {
        using var anonymous = await _service.Http.PostAsync("/api/v1/notifications", Json(Records.Bytes(Records.Service(NotificationType.Problem))));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var wrong = await Post(Records.Bytes(Records.Service(NotificationType.Problem)), key: "not-the-key");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(0, (await _service.GetJsonAsync("/api/v1/incidents")).GetProperty("total").GetInt64());
        Assert.DoesNotContain("Posting notifications over HTTP is off", _service.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_property_no_field_has_is_ignored_and_the_sender_is_told_which_with_the_one_meant()
    {
        var id = Guid.CreateVersion7();
        var misspelt = Encoding.UTF8.GetBytes($$$"""
            {"v":1,"id":"{{{id}}}","instance":"lab","type":"PROBLEM","timet":{{{Records.T0}}},"host":"db01","hostState":"DOWN","hostOutput":"x","customVars":{"_HOSTCUSTOMER":"acme"}}
            """);
        for (var post = 0; post < 2; post++)
        {
            using var answer = await Post(misspelt);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            using var result = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
            Assert.Equal(["'customVars' is not a field of a notification, so it was ignored (did you mean vars?)"],
                result.RootElement.GetProperty("ignored").EnumerateArray().Select(e => e.GetString()));
        }

        // The record went in (once; the second post was its redelivery), and the log said it once.
        Assert.Equal(1, (await _service.GetJsonAsync("/api/v1/incidents?host=db01")).GetProperty("total").GetInt64());
        Assert.Single(_service.Output.Split('\n'), l => l.Contains("'customVars' is not a field of a notification", StringComparison.Ordinal));

        // A name with a line break in it does not make a log line of its own.
        var forged = Encoding.UTF8.GetBytes($$$"""
            {"v":1,"id":"{{{Guid.CreateVersion7()}}}","instance":"lab","type":"PROBLEM","timet":{{{Records.T0}}},"host":"db02","hostState":"DOWN","hostOutput":"x","a\nfail: forged":1}
            """);
        using (var answer = await Post(forged))
        {
            using var result = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
            Assert.StartsWith("'a\ufffdfail: forged' is not a field", result.RootElement.GetProperty("ignored")[0].GetString(), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(_service.Output.Split('\n'), l => l.StartsWith("fail: forged", StringComparison.Ordinal));

        using var plain = await Post(Records.Bytes(Records.Service(NotificationType.Problem, host: "web07")));
        using var plainResult = JsonDocument.Parse(await plain.Content.ReadAsStringAsync());
        Assert.Equal(JsonValueKind.Null, plainResult.RootElement.GetProperty("ignored").ValueKind);
    }

    [Fact]
    public async Task Without_an_ingest_key_the_start_says_that_posting_is_off_and_a_post_is_told_why()
    {
        using var dir = new TempDirectory();
        await using var service = await ServiceProcess.StartAsync(dir.Path, new Dictionary<string, string> { ["HELPDESK_INGEST_KEY"] = "" });
        using var refused = await service.Http.PostAsync("/api/v1/notifications", Json(Records.Bytes(Records.Service(NotificationType.Problem))));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("writes are disabled: no ingest key is configured (Helpdesk:Api:IngestKey)", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Posting notifications over HTTP is off: no ingest key is configured (Helpdesk:Api:IngestKey, or HELPDESK_INGEST_KEY), "
            + "so POST /api/v1/notifications answers 401", service.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batch_is_committed_before_the_answer_and_filters_and_pages_read_it()
    {
        var batch = Enumerable.Range(0, 100).Select(i => Records.Service(NotificationType.Problem, host: "h" + (i % 30),
            customer: i % 2 == 0 ? "acme" : "globex", timeT: Records.T0 + i)).ToList();
        using var response = await Post(Array(batch.Select(Records.Bytes)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(100, result.GetProperty("accepted").GetInt32());

        // The answer came after the commit: the incidents are readable at once.
        var all = await _service.GetJsonAsync("/api/v1/incidents?pageSize=500");
        Assert.Equal(30, all.GetProperty("total").GetInt64());
        Assert.Equal(100, all.GetProperty("items").EnumerateArray().Sum(i => i.GetProperty("alertCount").GetInt64()));

        var acme = await _service.GetJsonAsync("/api/v1/incidents?customer=acme&status=open&priority=P2&pageSize=10&page=2");
        Assert.Equal(15, acme.GetProperty("total").GetInt64());
        Assert.Equal(5, acme.GetProperty("items").GetArrayLength());
        var openedAt = acme.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("openedAt").GetDateTimeOffset()).ToList();
        Assert.Equal(openedAt.OrderByDescending(t => t), openedAt);

        using var again = await Post(Array(batch.Select(Records.Bytes)));
        Assert.Equal(100, JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement.GetProperty("duplicates").GetInt32());
        Assert.Equal(100, (await _service.GetJsonAsync("/api/v1/incidents?pageSize=500")).GetProperty("items").EnumerateArray().Sum(i => i.GetProperty("alertCount").GetInt64()));
    }

    [Fact]
    public async Task Invalid_records_get_422_with_reasons_and_are_dead_lettered_while_valid_ones_commit()
    {
        var good = Records.Bytes(Records.Service(NotificationType.Problem, host: "good01"));
        var body = Array([good, Encoding.UTF8.GetBytes("{\"v\":1,\"type\":\"PROBLEM\"}"), Encoding.UTF8.GetBytes("42")]);
        using var response = await Post(body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(1, result.GetProperty("accepted").GetInt32());
        var rejected = result.GetProperty("rejected").EnumerateArray().ToList();
        Assert.Equal([1, 2], rejected.Select(r => r.GetProperty("index").GetInt32()));
        Assert.Equal("missing_field", rejected[0].GetProperty("reason").GetString());
        // One dead letter for the request, holding both refused records and both reasons.
        var letter = JsonDocument.Parse(File.ReadAllText(Assert.Single(Directory.GetFiles(_dir.Combine("dead-letter"), "*.json")))).RootElement;
        Assert.Equal("[{\"v\":1,\"type\":\"PROBLEM\"},42]", letter.GetProperty("payload").GetString());
        Assert.StartsWith("2 of 3 records refused: record 1: ", letter.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, (await _service.GetJsonAsync("/api/v1/incidents?host=good01")).GetProperty("total").GetInt64());

        using var malformed = await Post(Encoding.UTF8.GetBytes("[{\"v\":1,"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, malformed.StatusCode);
    }

    [Fact]
    public async Task A_body_that_is_not_json_inside_a_record_is_refused_whole_and_its_valid_record_is_not_applied()
    {
        // Its braces balance, so only parsing the second record shows that the body is not JSON.
        var valid = Records.Bytes(Records.Service(NotificationType.Problem, host: "beside-broken"));
        using var response = await Post(Array([valid, Encoding.UTF8.GetBytes("{\"v\":1 \"type\":\"PROBLEM\"}")]));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(0, result.GetProperty("accepted").GetInt32());
        var rejected = Assert.Single(result.GetProperty("rejected").EnumerateArray());
        Assert.Equal("malformed_json", rejected.GetProperty("reason").GetString());
        var letter = JsonDocument.Parse(File.ReadAllText(Assert.Single(Directory.GetFiles(_dir.Combine("dead-letter"), "*.json")))).RootElement;
        Assert.StartsWith("the body is not JSON notifications: ", letter.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await _service.GetJsonAsync("/api/v1/incidents?host=beside-broken")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task A_request_of_garbage_is_refused_whole_with_one_dead_letter_and_valid_records_in_it_are_not_applied()
    {
        // 20,000 non-records (the body bound here is 64 KiB) and one valid record among them.
        var valid = Records.Bytes(Records.Service(NotificationType.Problem, host: "among-garbage"));
        var body = Encoding.UTF8.GetBytes("[" + Encoding.UTF8.GetString(valid) + string.Concat(Enumerable.Repeat(",1", 20_000)) + "]");
        using var response = await Post(body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(0, result.GetProperty("accepted").GetInt32());
        Assert.Contains("more than 100 of the 20001 records are not notifications", result.GetProperty("refused").GetString(), StringComparison.Ordinal);
        Assert.Equal(101, result.GetProperty("rejected").GetArrayLength());
        var letter = JsonDocument.Parse(File.ReadAllText(Assert.Single(Directory.GetFiles(_dir.Combine("dead-letter"), "*.json")))).RootElement;
        Assert.Equal(Encoding.UTF8.GetString(body), letter.GetProperty("payload").GetString());
        Assert.Equal(0, (await _service.GetJsonAsync("/api/v1/incidents")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task When_the_dead_letter_folder_cannot_be_written_a_refusal_still_answers_and_says_so()
    {
        // The folder's temporary area replaced by a file: every dead-letter write now fails, as on a full disk.
        var temporary = _dir.Combine("dead-letter/.tmp");
        Directory.Delete(temporary, recursive: true);
        await File.WriteAllTextAsync(temporary, "in the way");

        using var response = await Post(Encoding.UTF8.GetBytes("[{\"v\":1,"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.StartsWith("not kept: the dead-letter folder cannot be written", result.GetProperty("deadLetter").GetString(), StringComparison.Ordinal);
        var metrics = await _service.Http.GetStringAsync("/metrics");
        Assert.Matches(@"helpdesk_dead_letters_dropped_total\{source=""http""\} 1\b", metrics);
    }

    [Fact]
    public async Task Oversized_bodies_get_413()
    {
        var big = Records.Bytes(Records.Service(NotificationType.Problem, output: new string('x', 70_000)));
        using var response = await Post(big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_batch_larger_than_the_in_flight_bound_is_refused_whole()
    {
        var batch = Enumerable.Range(0, 151).Select(i => Records.Bytes(Records.Service(NotificationType.Problem, host: "big" + i)));
        using var response = await Post(Array(batch));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("MaxInFlight", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, (await _service.GetJsonAsync("/api/v1/incidents")).GetProperty("total").GetInt64());
    }

    [Theory]
    [InlineData("/api/v1/incidents?status=broken", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/incidents?priority=P9", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/incidents?pageSize=100000", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/incidents?page=0", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/incidents/INC-999999", HttpStatusCode.NotFound)]
    [InlineData("/api/v1/incidents/42", HttpStatusCode.BadRequest)]
    [InlineData("/healthz", HttpStatusCode.OK)]
    [InlineData("/readyz", HttpStatusCode.OK)]
    public async Task Bad_api_calls_get_clear_errors(string path, HttpStatusCode expected)
    {
        using var response = await _service.Http.GetAsync(path);
        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.BadRequest)
        {
            Assert.Contains("application/problem+json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        }
    }

    private async Task<HttpResponseMessage> Post(byte[] body, string key = ServiceProcess.IngestKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/notifications") { Content = Json(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await _service.Http.SendAsync(request);
    }

    private static ByteArrayContent Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static byte[] Array(IEnumerable<byte[]> records) =>
        Encoding.UTF8.GetBytes("[" + string.Join(",", records.Select(r => Encoding.UTF8.GetString(r))) + "]");
}
