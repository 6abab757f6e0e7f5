using System.Net;
using Helpdesk.Monitoring.Customers;
using Helpdesk.Monitoring.Hosting.Configuration;
using Helpdesk.Monitoring.Hosting.Ingest;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.People;
using Helpdesk.Monitoring.Ports;
using Helpdesk.Monitoring.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Helpdesk.Monitoring.Hosting.Api;

/// <summary>
/// /customer/{link}: the pages a customer reaches from their mail, in their language. A GET only shows the question
/// (mail scanners open links, and must not answer for anyone); the answer is a POST of the page's form: the fix works
/// (the incident closes now), it is still broken (it reopens), or the satisfaction score. The signed link is the
/// credential; one answer counts, a second click changes nothing.
/// </summary>
public static class CustomerEndpoints
{
    public static void MapCustomerEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/customer/{link}", (string link, [AsParameters] Dependencies d, CancellationToken ct) => ShowAsync(link, d, ct)).ExcludeFromDescription();
        app.MapPost("/customer/{link}", (HttpContext http, string link, [AsParameters] Dependencies d, CancellationToken ct) => AnswerAsync(http, link, d, ct)).ExcludeFromDescription();
    }

    // Every part from the container, said outright: the request delegate is generated at build time, and a part left
    // to inference could be taken for the request's body.
    public sealed record Dependencies([FromServices] CustomerLinks Links, [FromServices] IIncidentQueries Queries, [FromServices] ISatisfactionRecords Ratings,
        [FromServices] HttpIngest Ingest, [FromServices] HelpdeskMetrics Metrics, [FromServices] IOptions<HelpdeskOptions> Options, [FromServices] TimeProvider Time);

    private static async Task<IResult> ShowAsync(string token, Dependencies d, CancellationToken cancellationToken)
    {
        var (link, incident, page) = await OpenAsync(token, d, cancellationToken);
        if (link is null || incident is null)
        {
            return page.Result(CustomerPage.Expired);
        }

        if (link.Purpose == CustomerLinkPurpose.Rate)
        {
            return await d.Ratings.RatingAsync(incident.Id, cancellationToken) is null ? page.Result(page.RateForm(incident)) : page.Result(page.Thanks(incident));
        }

        return incident.Status == IncidentStatus.Resolved ? page.Result(page.VerifyForm(incident)) : page.Result(page.NotResolved(incident));
    }

    private static async Task<IResult> AnswerAsync(HttpContext http, string token, Dependencies d, CancellationToken cancellationToken)
    {
        var (link, incident, page) = await OpenAsync(token, d, cancellationToken);
        if (link is null || incident is null)
        {
            return page.Result(CustomerPage.Expired);
        }

        if (!http.Request.HasFormContentType || http.Request.ContentLength > 16 * 1024)
        {
            return page.Result(page.Problem(incident), 400);
        }

        var form = await http.Request.ReadFormAsync(cancellationToken);
        // A browser's form sends no control character; one that came is hostile and goes before anyone reads it.
        var comment = PlainText.Clean(form["comment"].ToString()).Trim();
        comment = comment.Length > SatisfactionRating.MaxCommentLength ? comment[..SatisfactionRating.MaxCommentLength] : comment;
        var who = $"the customer ({incident.Customer})";
        if (link.Purpose == CustomerLinkPurpose.Rate)
        {
            if (!int.TryParse(form["score"], out var score) || score is < 1 or > 5)
            {
                return page.Result(page.RateForm(incident), 400);
            }

            if (await d.Ratings.RecordAsync(new SatisfactionRating(incident.Id, score, comment, link.Contact, incident.Team, d.Time.GetUtcNow()), cancellationToken))
            {
                d.Metrics.Rated(incident.Team, score);
            }

            return page.Result(page.Thanks(incident));
        }

        var answer = form["answer"].ToString();
        if (answer is not ("fixed" or "broken"))
        {
            return page.Result(page.VerifyForm(incident), 400);
        }

        var kind = answer == "fixed" ? AgentActionKind.Confirm : AgentActionKind.Reopen;
        var action = new AgentAction(ActionId(token, answer), incident.Id, kind, who, comment);
        var (outcome, queued) = await ActionSubmission.SubmitAsync(d.Ingest, action, d.Options.Value.Api.CommitTimeout, d.Time, cancellationToken);
        if (outcome is null && !queued)
        {
            return page.Result(page.Busy(incident), 503);
        }

        if (outcome == ApplyOutcome.Redelivered)
        {
            // The same answer from the same link again (a double click, a form sent twice): what the first one did
            // is what the incident now says, and "still broken" on a closed incident did nothing.
            incident = (await d.Queries.GetAsync(incident.Id, cancellationToken))?.Incident ?? incident;
            return page.Result(answer == "fixed" && incident.Status == IncidentStatus.Closed ? page.Confirmed(incident)
                : answer == "broken" && incident.Status is IncidentStatus.Open or IncidentStatus.Acknowledged ? page.Reopened(incident)
                : page.NotResolved(incident));
        }

        // Queued (the commit took longer than the request may wait) is told as taken: it will be applied in order.
        return page.Result(outcome == ApplyOutcome.Ignored ? page.NotResolved(incident) : answer == "fixed" ? page.Confirmed(incident) : page.Reopened(incident));
    }

    private static async Task<(CustomerLink?, IncidentRecord?, CustomerPage)> OpenAsync(string token, Dependencies d, CancellationToken cancellationToken)
    {
        var link = d.Links.Verify(token, d.Time.GetUtcNow());
        var incident = link is null ? null : (await d.Queries.GetAsync(link.IncidentId, cancellationToken))?.Incident;
        var language = incident is null ? "en" : d.Options.Value.Incidents.Rules.Customers.Of(incident.Customer)?.Language ?? "en";
        return (link, incident, new CustomerPage(language));
    }

    /// <summary>The same link and answer make the same action: a double click or a retried form is one action.</summary>
    private static Guid ActionId(string token, string answer) => DerivedId.Of(token + "|" + answer);
}

/// <summary>The customer's pages, server-made HTML in their language; every incident text is encoded.</summary>
internal sealed class CustomerPage(string language)
{
    private const string Policy = "default-src 'none'; style-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    private readonly bool _de = language == "de";

    public static string Expired => "<h1>This link no longer works</h1><p>It has expired or is not complete. Please reply to our mail instead.</p>";

    public IResult Result(string body, int status = 200) => new Html($"""
        <!doctype html><html lang="{(_de ? "de" : "en")}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Helpdesk</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/board/board.css"></head>
        <body><main class="signin">{body}</main></body></html>
        """, status);

    public string VerifyForm(IncidentRecord i) => $"""
        <h1>{T("Is it fixed?", "Ist es behoben?")}</h1>{Summary(i)}
        {(i.ResolutionCause.Length > 0 ? $"<p><strong>{T("Cause", "Ursache")}:</strong> {E(i.ResolutionCause)}<br><strong>{T("Fix", "Behebung")}:</strong> {E(i.ResolutionFix)}</p>" : "")}
        <form method="post"><label for="comment">{T("Comment (optional)", "Kommentar (optional)")}</label><textarea id="comment" name="comment"></textarea>
        <p><button type="submit" name="answer" value="fixed">{T("Yes, it works again", "Ja, es funktioniert wieder")}</button>
        <button type="submit" name="answer" value="broken" class="secondary">{T("No, it is still broken", "Nein, es geht noch nicht")}</button></p></form>
        """;

    public string RateForm(IncidentRecord i) => $"""
        <h1>{T("How did we do?", "Wie zufrieden waren Sie?")}</h1>{Summary(i)}
        <form method="post"><fieldset><legend>{T("Your rating, from 1 (poor) to 5 (excellent)", "Ihre Bewertung, von 1 (schlecht) bis 5 (sehr gut)")}</legend>
        <div class="checks">{string.Concat(Enumerable.Range(1, 5).Select(n => $"<label><input type=\"radio\" name=\"score\" value=\"{n}\" required> {n}</label>"))}</div></fieldset>
        <label for="comment">{T("Comment (optional)", "Kommentar (optional)")}</label><textarea id="comment" name="comment"></textarea>
        <p><button type="submit">{T("Send", "Senden")}</button></p></form>
        """;

    public string Thanks(IncidentRecord i) => $"<h1>{T("Thank you", "Vielen Dank")}</h1>{Summary(i)}<p>{T("We have your answer.", "Wir haben Ihre Antwort erhalten.")}</p>";

    public string Confirmed(IncidentRecord i) => $"<h1>{T("Thank you", "Vielen Dank")}</h1>{Summary(i)}<p>{T("The incident is closed.", "Die Störung ist abgeschlossen.")}</p>";

    public string Reopened(IncidentRecord i) => $"<h1>{T("We are on it again", "Wir kümmern uns erneut darum")}</h1>{Summary(i)}<p>{T("The incident is open again; you will hear from us.", "Die Störung ist wieder offen; Sie hören von uns.")}</p>";

    public string NotResolved(IncidentRecord i) => $"<h1>{E(i.Number)}</h1>{Summary(i)}<p>{(i.Status == IncidentStatus.Closed
        ? T("This incident is closed. If something is wrong again, please tell us.", "Diese Störung ist abgeschlossen. Ist wieder etwas nicht in Ordnung, melden Sie sich bitte.")
        : T("We are still working on it; there is nothing to confirm yet.", "Wir arbeiten noch daran; es gibt noch nichts zu bestätigen."))}</p>";

    public string Busy(IncidentRecord i) => $"<h1>{E(i.Number)}</h1><p>{T("Please try again in a minute.", "Bitte versuchen Sie es in einer Minute noch einmal.")}</p>";

    public string Problem(IncidentRecord i) => $"<h1>{E(i.Number)}</h1><p>{T("Please use the form on this page.", "Bitte nutzen Sie das Formular auf dieser Seite.")}</p>";

    // As the customer's mail names it ("HTTP on web01"), so the page reads as the answer to that mail.
    private string Summary(IncidentRecord i) =>
        $"<p><strong>{E(i.Number)}</strong>: {E(i.Service.Length > 0 ? $"{i.Service} {T("on", "auf")} {i.Host}" : i.Host.Length > 0 ? i.Host : i.Title)}</p>";

    private string T(string english, string german) => _de ? german : english;

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private sealed class Html(string content, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = status;
            http.Response.ContentType = "text/html; charset=utf-8";
            http.Response.Headers.ContentSecurityPolicy = Policy;
            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers["Referrer-Policy"] = "no-referrer";
            http.Response.Headers.CacheControl = "no-store";
            return http.Response.WriteAsync(content);
        }
    }
}
