using Microsoft.AspNetCore.Http;

namespace Helpdesk.Monitoring.Hosting.Identity;

/// <summary>
/// Who may read and who may act. Writes always need a caller: a user's API token (<c>Authorization: Bearer hdt_…</c>),
/// a board session cookie, or the shared agent key. Reads need one when <see cref="ReadsNeedSignIn"/>. A session may
/// only act from the board's own pages: a write carrying the cookie must come from the same origin.
/// </summary>
public sealed class Access(UserSource users, AgentKeys agentKeys, SessionCookie sessions, bool readsNeedSignIn, TimeProvider time)
{
    public bool ReadsNeedSignIn => readsNeedSignIn;

    public SessionCookie Sessions => sessions;

    public UserSource Users => users;

    public Caller? Identify(HttpRequest request)
    {
        var bearer = Bearer(request);
        if (bearer.Length > 0)
        {
            if (users.Current.FindByToken(bearer) is { } user)
            {
                return new Caller(user, CallerKind.Token);
            }

            return agentKeys.Allows(request) ? new Caller(null, CallerKind.SharedAgentKey) : null;
        }

        if (agentKeys.Allows(request))
        {
            return new Caller(null, CallerKind.SharedAgentKey);
        }

        return request.Cookies.TryGetValue(SessionCookie.Name, out var cookie) && sessions.Verify(cookie, users.Current, time.GetUtcNow()) is { } signedIn
            ? new Caller(signedIn, CallerKind.Session)
            : null;
    }

    /// <summary>Null when the request may read; otherwise the 401 to answer.</summary>
    public IResult? CheckRead(HttpContext http) =>
        !readsNeedSignIn || Identify(http.Request) is not null ? null
        : Unauthorized(http, UnknownToken(http.Request) ?? "reading incidents needs a sign-in here: sign in to the board, or send a user's API token as 'Authorization: Bearer hdt_...'");

    /// <summary>The caller allowed to act, or the 401/403 to answer.</summary>
    public (Caller? Caller, IResult? Refusal) CheckWrite(HttpContext http)
    {
        var caller = Identify(http.Request);
        if (caller is null)
        {
            return (null, Unauthorized(http, UnknownToken(http.Request)
                ?? "acting on incidents needs a sign-in: sign in to the board, or send your API token as 'Authorization: Bearer hdt_...' (helpdesk users token NAME makes one)"));
        }

        if (caller.Kind == CallerKind.Session && !SameOrigin(http.Request))
        {
            return (null, Results.Problem(statusCode: 403, title: "Cross-site request",
                detail: "a board session may only act from the board's own pages; tools must send an API token"));
        }

        return (caller, null);
    }

    /// <summary>Said when a token came and matched nobody: the caller did send one, so "needs a sign-in" would mislead.</summary>
    private static string? UnknownToken(HttpRequest request) => Bearer(request) switch
    {
        "" => null,
        var token when token.StartsWith("hdt_", StringComparison.Ordinal) =>
            "this API token belongs to nobody in the users file (mistyped, revoked, or its person removed): helpdesk users token NAME makes a new one",
        _ => "the key sent is neither a user's API token nor this service's agent key: send your API token as 'Authorization: Bearer hdt_...'",
    };

    private static IResult Unauthorized(HttpContext http, string detail)
    {
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return Results.Problem(statusCode: 401, title: "Unauthorized", detail: detail);
    }

    private static string Bearer(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
    }

    /// <summary>
    /// Browsers say where a request comes from (Sec-Fetch-Site, Origin); the session cookie is also SameSite=Strict.
    /// A request that says nothing is not from a browser page, so not a cross-site forgery.
    /// </summary>
    private static bool SameOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none"))
        {
            return false;
        }

        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0 || (Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase));
    }
}
