using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.LoadGenerator.SideBySide;

/// <summary>
/// A fresh helpdesk-service on the embedded default (SQLite, synchronous as given), with storm mode off so that every
/// notification takes the plain path. Fed wire records over <c>POST /api/v1/notifications</c>; it answers after the
/// durable commit.
/// </summary>
internal sealed class HelpdeskPeer : IPeer
{
    private readonly ServiceUnderTest _service;
    private readonly HttpClient _http;
    private readonly Identities _identities;
    private readonly string _rules;
    private readonly byte[][] _problems;
    private readonly byte[][] _recoveries;
    private readonly int[] _lastTimeT;

    private HelpdeskPeer(ServiceUnderTest service, string rules, Identities identities, int connections)
    {
        _service = service;
        _rules = rules;
        _identities = identities;
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = service.BaseAddress,
            Timeout = TimeSpan.FromMinutes(2),
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", service.IngestKey);
        _problems = new byte[identities.Count][];
        _recoveries = new byte[identities.Count][];
        _lastTimeT = new int[identities.Count];
        for (var i = 0; i < identities.Count; i++)
        {
            _problems[i] = NotificationWriter.ToUtf8(Notification(i, NotificationType.Problem, AlertState.Critical, identities.ProblemOutput(i)));
            _recoveries[i] = NotificationWriter.ToUtf8(Notification(i, NotificationType.Recovery, AlertState.Ok, identities.RecoveryOutput(i)));
        }

        MaxNotificationBytes = _problems.Concat(_recoveries).Max(r => r.Length) + 1;
    }

    public string Name => "Helpdesk";

    public int Pid => _service.Pid;

    public int MaxNotificationBytes { get; }

    public static async Task<HelpdeskPeer> StartAsync(Identities identities, int connections, string synchronous)
    {
        var rules = Path.Combine(Path.GetTempPath(), "helpdesk-sbs-rules-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        await File.WriteAllTextAsync(rules, """{ "version": 1, "correlation": { "storm": { "enabled": false } } }""");
        var service = await ServiceUnderTest.StartAsync(synchronous, new Dictionary<string, string> { ["Helpdesk__RulesPath"] = rules });
        return new HelpdeskPeer(service, rules, identities, connections);
    }

    public int Write(byte[] body, int at, int identity, Step step)
    {
        var template = step == Step.Resolve ? _recoveries[identity] : _problems[identity];
        template.CopyTo(body, at);
        Utf8Formatter.TryFormat(Guid.CreateVersion7(), body.AsSpan(at + Offset(template, "\"id\":\""u8), 36), out _);

        // Nagios' time only moves forward for an identity: a recovery and the next problem never share a second.
        var now = (int)DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var timeT = _lastTimeT[identity] = Math.Max(now, _lastTimeT[identity] + (step == Step.Repeat ? 0 : 1));
        Utf8Formatter.TryFormat(timeT, body.AsSpan(at + Offset(template, "\"timet\":"u8), 10), out _);
        return at + template.Length;
    }

    public async Task<int> PostAsync(byte[] body, int length, int count)
    {
        using var content = new ByteArrayContent(body, 0, length);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _http.PostAsync("/api/v1/notifications", content);
        var answer = await response.Content.ReadAsByteArrayAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            Console.Error.WriteLine($"helpdesk answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(answer)}");
            return 0;
        }

        var reader = new Utf8JsonReader(answer);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("accepted"u8) && reader.Read())
            {
                return reader.GetInt32();
            }
        }

        return 0;
    }

    public async Task<HashSet<int>> FiringAsync()
    {
        var firing = new HashSet<int>();
        for (var page = 1; ; page++)
        {
            using var doc = JsonDocument.Parse(await _http.GetStringAsync($"/api/v1/incidents?status=open,acknowledged&pageSize=500&page={page}"));
            var items = doc.RootElement.GetProperty("items");
            if (items.GetArrayLength() == 0)
            {
                return firing;
            }

            foreach (var item in items.EnumerateArray())
            {
                firing.Add(_identities.ByName[(item.GetProperty("host").GetString()!, item.GetProperty("service").GetString()!)]);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _service.DisposeAsync();
        File.Delete(_rules);
    }

    private static int Offset(byte[] template, ReadOnlySpan<byte> field) => template.AsSpan().IndexOf(field) + field.Length;

    private Notification Notification(int identity, NotificationType type, AlertState state, string output) => new()
    {
        EventId = Guid.CreateVersion7(),
        Instance = "nagios-prod-" + (_identities.Customer(identity) % 4),
        Type = type,
        TimeT = 1_800_000_000,
        Host = _identities.Host(identity),
        HostAlias = "Customer " + _identities.Customer(identity) + " " + _identities.Host(identity),
        HostAddress = _identities.Address(identity),
        HostState = AlertState.Up,
        HostStateType = "HARD",
        Service = _identities.Service(identity),
        ServiceState = state,
        ServiceStateType = "HARD",
        ServiceAttempt = 3,
        ServiceOutput = output,
        NotificationNumber = 1,
        HostGroups = "linux-servers,customer-" + _identities.Customer(identity),
        Vars = new Dictionary<string, string> { ["_HOSTCUSTOMER"] = "customer-" + _identities.Customer(identity) },
    };
}
