using Helpdesk.Monitoring.Hosting.Configuration;
using Helpdesk.Monitoring.Hosting.Ingest;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Pipeline;
using Helpdesk.Monitoring.Ports;
using Helpdesk.Monitoring.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Helpdesk.Monitoring.Hosting.Api;

/// <summary>POST /api/v1/notifications: one wire record or an array of them, committed before the answer.</summary>
public static class NotificationEndpoints
{
    public static void MapNotificationEndpoints(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/notifications", PostAsync);

    private static async Task<IResult> PostAsync(HttpContext http, IngestKeys keys, HttpIngest ingest, PipelineReadiness readiness,
        IDeadLetterSink deadLetters, IOptions<HelpdeskOptions> options, TimeProvider time, CancellationToken cancellationToken)
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
                detail: $"this service reads notifications from the Kafka topic '{options.Value.Kafka.Topic}': write them to a spool that `helpdesk relay` ships, or to the topic");
        }

        if (!readiness.IsReady)
        {
            http.Response.Headers.RetryAfter = "1";
            return Results.Problem(statusCode: 503, title: "Not ready", detail: "the service is still rebuilding its state from the store");
        }

        var api = options.Value.Api;
        var body = await ReadBodyAsync(http, api.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Results.Problem(statusCode: 413, title: "Payload too large", detail: $"the body is larger than {api.MaxBodyBytes} bytes (Helpdesk:Api:MaxBodyBytes); send smaller batches");
        }

        var now = time.GetUtcNow();
        var (ranges, error) = BatchBody.Split(body.Value);
        var rejected = new List<RejectedJson>();
        if (error is not null)
        {
            await Reject(deadLetters, body.Value, new ParseFailure(RejectReason.MalformedJson, error), 0, rejected, now, cancellationToken);
            return Results.UnprocessableEntity(new IngestResultJson(0, 0, rejected));
        }

        var valid = new List<(ReadOnlyMemory<byte> Record, NotificationFields Fields)>(ranges.Count);
        for (var i = 0; i < ranges.Count; i++)
        {
            var record = body.Value.AsMemory()[ranges[i]];
            if (NotificationParser.TryParse(record.Span, out var fields, out var failure))
            {
                valid.Add((record, fields));
            }
            else
            {
                await Reject(deadLetters, record, failure, i, rejected, now, cancellationToken);
            }
        }

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
        foreach (var (record, fields) in valid)
        {
            ingest.Push(new InboundNotification(record, in fields, receipt));
        }

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

        var result = new IngestResultJson(valid.Count, receipt.Duplicates, rejected);
        return rejected.Count > 0 ? Results.UnprocessableEntity(result) : Results.Ok(result);
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

        var buffer = new MemoryStream(http.Request.ContentLength is { } length ? (int)length : 4096);
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await http.Request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        // The records keep pointing into this buffer until they are committed: hand it over without a copy.
        return new ArraySegment<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static async Task Reject(IDeadLetterSink deadLetters, ReadOnlyMemory<byte> record, ParseFailure failure, int index,
        List<RejectedJson> rejected, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await deadLetters.WriteAsync(new DeadLetter("http", failure.Reason, failure.Message, record, now), cancellationToken);
        HelpdeskMetrics.Rejected(failure.Reason, "http");
        rejected.Add(new RejectedJson(index, RejectReasons.Label(failure.Reason), failure.Message));
    }
}
