using Helpdesk.Monitoring.Hosting.Identity;
using System.Buffers;
using System.Runtime.InteropServices;
using Helpdesk.Monitoring.Hosting.Configuration;
using Helpdesk.Monitoring.Hosting.Ingest;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Ports;
using Helpdesk.Monitoring.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Helpdesk.Monitoring.Diagnostics;
using Helpdesk.Monitoring.Files;

namespace Helpdesk.Monitoring.Hosting.Api;

/// <summary>POST /api/v1/notifications: one wire record or an array of them, committed before the answer.</summary>
public static class NotificationEndpoints
{
    public static void MapNotificationEndpoints(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/notifications", PostAsync)
            .WithSummary("Notifications in: one wire record or a JSON array of them; answers after the durable commit")
            .Produces<IngestResultJson>().Produces<IngestResultJson>(400).ProducesProblem(401).ProducesProblem(413).ProducesProblem(503);

    private static async Task<IResult> PostAsync(HttpContext http, IngestKeys keys, HttpIngest ingest, PipelineReadiness readiness,
        DeadLetterDirectory deadLetters, HelpdeskMetrics metrics, IgnoredProperties ignored, IOptions<HelpdeskOptions> options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!keys.Allows(http.Request))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Problem(statusCode: 401, title: "Unauthorized",
                detail: keys.Configured ? "send an ingest key as 'Authorization: Bearer KEY' or 'X-Api-Key: KEY'" : "writes are disabled: no ingest key is configured (Helpdesk:Api:IngestKey)");
        }

        if (options.Value.ConsumesKafka)
        {
            // One consumer decides each host (its partition): a POST here would bypass that ordering.
            return Results.Problem(statusCode: 409, title: "Consuming from Kafka",
                detail: $"this service reads notifications from the Kafka topic '{options.Value.Kafka.Topic}': write them to a spool that `helpdesk-relay` ships, or to the topic");
        }

        if (!readiness.IsReady)
        {
            http.Response.Headers.RetryAfter = "1";
            return Results.Problem(statusCode: 503, title: "Not ready", detail: $"the service is not ready: {readiness.Reason}");
        }

        var api = options.Value.Api;
        var body = await ReadBodyAsync(http, api.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Results.Problem(statusCode: 413, title: "Payload too large", detail: $"the body is larger than {api.MaxBodyBytes} bytes (Helpdesk:Api:MaxBodyBytes); send smaller batches");
        }

        var now = time.GetUtcNow();
        var ranges = BatchBody.SplitUnchecked(body.Value);
        var splitChecked = ranges is null;
        if (ranges is null)
        {
            (ranges, var error) = BatchBody.Split(body.Value);
            if (error is not null)
            {
                return NotJson(deadLetters, metrics, body.Value, error, now);
            }
        }

        var valid = new List<(ReadOnlyMemory<byte> Record, NotificationFields Fields)>(ranges.Count);
        var rejected = new List<(int Index, ReadOnlyMemory<byte> Record, ParseFailure Failure)>();
        for (var i = 0; i < ranges.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var record = body.Value.AsMemory()[ranges[i]];
            if (NotificationParser.TryParse(record.Span, out var fields, out var failure))
            {
                valid.Add((record, fields));
            }
            else
            {
                // The quick split did not look inside the records: a refused one may mean the body is not JSON at all.
                if (!splitChecked && BatchBody.Split(body.Value).Error is { } error)
                {
                    return NotJson(deadLetters, metrics, body.Value, error, now);
                }

                splitChecked = true;
                rejected.Add((i, record, failure));
                if (rejected.Count > api.MaxRejectedPerRequest)
                {
                    // Refused whole, before anything is queued: the sender is posting something that is not notifications.
                    var detail = $"more than {api.MaxRejectedPerRequest} of the {ranges.Count} records are not notifications (Helpdesk:Api:MaxRejectedPerRequest); nothing in this request was accepted";
                    var keptBody = Keep(deadLetters, metrics, new DeadLetter("http", failure.Reason, $"request refused whole: {detail}; first refusal: record {rejected[0].Index}: {rejected[0].Failure.Message}", body.Value, now));
                    return Results.UnprocessableEntity(new IngestResultJson(0, 0, Report(metrics, rejected), keptBody) { Refused = detail });
                }
            }
        }

        var keptRejected = rejected.Count == 0 ? null : Keep(deadLetters, metrics, Letter(rejected, ranges.Count, now));
        if (valid.Count > ingest.MaxInFlight)
        {
            return Results.Problem(statusCode: 413, title: "Batch too large",
                detail: $"{valid.Count} records is more than Helpdesk:Api:MaxInFlight ({ingest.MaxInFlight}); send smaller batches");
        }

        if (!ingest.TryReserve(valid.Count))
        {
            // Refused before anything was queued: the caller keeps the records and sends them again later.
            http.Response.Headers.RetryAfter = "1";
            return Results.Problem(statusCode: 503, title: "Busy",
                detail: $"{ingest.InFlight} records are waiting for the store (limit {ingest.MaxInFlight}); retry shortly");
        }

        var receipt = new RequestReceipt(ingest, valid.Count);
        var records = CollectionsMarshal.AsSpan(valid);
        var inbound = new InboundNotification[records.Length];
        for (var i = 0; i < inbound.Length; i++)
        {
            inbound[i] = new InboundNotification(records[i].Record, in records[i].Fields, receipt);
        }

        ingest.Push(inbound);

        try
        {
            await receipt.Done.WaitAsync(api.CommitTimeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            http.Response.Headers.RetryAfter = "5";
            return Results.Problem(statusCode: 503, title: "Not committed yet",
                detail: $"the batch was not committed within {api.CommitTimeout.TotalSeconds:0} s; it stays queued, and sending it again with the same ids is safe");
        }

        CrashPoint.Reach(CrashPoint.HttpBeforeAnswer);
        var result = new IngestResultJson(valid.Count, receipt.Duplicates, Report(metrics, rejected), keptRejected) { Ignored = ignored.Of(valid) };
        return rejected.Count > 0 ? Results.UnprocessableEntity(result) : Results.Ok(result);
    }

    /// <summary>The whole body refused: it is not one JSON record or an array of them.</summary>
    private static IResult NotJson(DeadLetterDirectory deadLetters, HelpdeskMetrics metrics, ArraySegment<byte> body, string error, DateTimeOffset now)
    {
        var refusal = new ParseFailure(RejectReason.MalformedJson, error);
        var kept = Keep(deadLetters, metrics, new DeadLetter("http", refusal.Reason, $"the body is not JSON notifications: {error}", body, now));
        metrics.Rejected(refusal.Reason, "http");
        return Results.UnprocessableEntity(new IngestResultJson(0, 0, [new RejectedJson(0, RejectReasons.Label(refusal.Reason), error)], kept));
    }

    private static async Task<ArraySegment<byte>?> ReadBodyAsync(HttpContext http, long maxBytes, CancellationToken cancellationToken)
    {
        if (http.Request.ContentLength > maxBytes)
        {
            return null;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        try
        {
            if (http.Request.ContentLength is { } length)
            {
                // The usual request: read straight into an array of its size, neither cleared first nor copied after.
                var whole = GC.AllocateUninitializedArray<byte>((int)length);
                var filled = 0;
                int got;
                while (filled < whole.Length && (got = await http.Request.Body.ReadAsync(whole.AsMemory(filled), cancellationToken)) > 0)
                {
                    filled += got;
                }

                return new ArraySegment<byte>(whole, 0, filled);
            }

            var buffer = new MemoryStream(4096);
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await http.Request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }

            // The records keep pointing into this buffer until they are committed: hand it over without a copy.
            return new ArraySegment<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
    }

    /// <summary>
    /// One dead letter for all of a request's refused records (a JSON array of them), so a request costs at most one
    /// file whatever it holds. Returns what the caller is told about it.
    /// </summary>
    private static DeadLetter Letter(List<(int Index, ReadOnlyMemory<byte> Record, ParseFailure Failure)> rejected, int total, DateTimeOffset now)
    {
        var payload = new ArrayBufferWriter<byte>();
        payload.Write("["u8);
        for (var i = 0; i < rejected.Count; i++)
        {
            if (i > 0)
            {
                payload.Write(","u8);
            }

            payload.Write(rejected[i].Record.Span);
        }

        payload.Write("]"u8);
        var reasons = string.Join("; ", rejected.Select(r => $"record {r.Index}: {r.Failure.Message}"));
        return new DeadLetter("http", rejected[0].Failure.Reason, $"{rejected.Count} of {total} records refused: {reasons}", payload.WrittenMemory, now);
    }

    /// <summary>Writes the letter; a folder at its size bound or a full disk is counted and said, never a failed request.</summary>
    private static string Keep(DeadLetterDirectory deadLetters, HelpdeskMetrics metrics, DeadLetter letter)
    {
        try
        {
            return deadLetters.Write(letter) is null
                ? "not kept: the dead-letter folder is at its size bound (Helpdesk:DeadLetters:MaxBytes)"
                : "kept in the dead-letter folder";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            metrics.DeadLetterDropped("http");
            return $"not kept: the dead-letter folder cannot be written ({ex.Message})";
        }
    }

    /// <summary>Counts each refused record in /metrics and says, for the answer, which it was and why.</summary>
    private static List<RejectedJson> Report(HelpdeskMetrics metrics, List<(int Index, ReadOnlyMemory<byte> Record, ParseFailure Failure)> rejected)
    {
        foreach (var r in rejected)
        {
            metrics.Rejected(r.Failure.Reason, "http");
        }

        return rejected.Select(r => new RejectedJson(r.Index, RejectReasons.Label(r.Failure.Reason), r.Failure.Message)).ToList();
    }
}
