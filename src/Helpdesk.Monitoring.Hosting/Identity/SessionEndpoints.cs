using System.Text.Json;
using Helpdesk.Monitoring.People;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Helpdesk.Monitoring.Hosting.Identity;

/// <summary>
/// Signing in to the board: POST /api/v1/session with a user name and password, or with an API token, sets the
/// session cookie; DELETE signs out; GET says who is signed in. GET /api/v1/users lists the people an incident can be
/// given to (never their credentials).
/// </summary>
public static class SessionEndpoints
{
    // A password check costs a PBKDF2 run on purpose; two at a time bound what guessing can cost the machine.
    private static readonly SemaphoreSlim PasswordChecks = new(2);
    private static readonly TimeSpan FailedSignInDelay = TimeSpan.FromSeconds(1);

    public static void MapSessionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/session", SignInAsync).WithSummary("Sign in to the board: a user name and password, or an API token; sets the session cookie")
            .Accepts<SignInJson>("application/json").Produces<SessionJson>().ProducesProblem(400).ProducesProblem(401);
        app.MapDelete("/api/v1/session", (HttpContext http) =>
        {
            http.Response.Cookies.Delete(SessionCookie.Name, CookieOptions(http, TimeSpan.Zero));
            return Results.NoContent();
        }).WithSummary("Sign out").Produces(204);
        app.MapGet("/api/v1/session", (HttpContext http, Access access) =>
            access.Identify(http.Request) is { User: { } user } caller
                ? Results.Ok(SessionJson.From(user, caller.Kind, access.ReadsNeedSignIn))
                : Results.Problem(statusCode: 401, title: "Not signed in", detail: "sign in with your user name and password, or with an API token"))
            .WithSummary("Who is signed in").Produces<SessionJson>().ProducesProblem(401);
        app.MapGet("/api/v1/users", (HttpContext http, Access access) =>
            access.CheckRead(http) ?? Results.Ok(access.Users.Current.Users.Select(u => new UserJson(u.Name, u.DisplayName, u.Team, u.Tier, UserRoles.Of(u.Role))).ToList()))
            .WithSummary("The people an incident can be given to").Produces<List<UserJson>>().ProducesProblem(401);
    }

    private static async Task<IResult> SignInAsync(HttpContext http, Access access, TimeProvider time, CancellationToken cancellationToken)
    {
        SignInJson? request;
        try
        {
            request = http.Request.ContentLength is > 8192 ? null
                : await JsonSerializer.DeserializeAsync<SignInJson>(http.Request.Body, JsonSerializerOptions.Web, cancellationToken);
        }
        catch (JsonException)
        {
            request = null;
        }

        if (request is null || (string.IsNullOrEmpty(request.Token) && (string.IsNullOrEmpty(request.User) || string.IsNullOrEmpty(request.Password))))
        {
            return Results.Problem(statusCode: 400, title: "Bad sign-in", detail: "send {\"user\": \"alice\", \"password\": \"...\"} or {\"token\": \"hdt_...\"}");
        }

        var user = await CheckAsync(request, access.Users.Current, cancellationToken);
        if (user is null)
        {
            await Task.Delay(FailedSignInDelay, time, cancellationToken);
            return Results.Problem(statusCode: 401, title: "Sign-in failed", detail: "the user name and password, or the token, are not right");
        }

        http.Response.Cookies.Append(SessionCookie.Name, access.Sessions.Issue(user, time.GetUtcNow()), CookieOptions(http, access.Sessions.Lifetime));
        return Results.Ok(SessionJson.From(user, CallerKind.Session, access.ReadsNeedSignIn));
    }

    private static async Task<User?> CheckAsync(SignInJson request, UserDirectory users, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(request.Token))
        {
            return users.FindByToken(request.Token);
        }

        if (users.Find(request.User!) is not { PasswordHash.Length: > 0 } user || request.Password!.Length > 1024)
        {
            return null;
        }

        await PasswordChecks.WaitAsync(cancellationToken);
        try
        {
            return Credentials.VerifyPassword(request.Password, user.PasswordHash) ? user : null;
        }
        finally
        {
            PasswordChecks.Release();
        }
    }

    private static CookieOptions CookieOptions(HttpContext http, TimeSpan lifetime) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps,
        Path = "/",
        MaxAge = lifetime,
        IsEssential = true,
    };
}

public sealed record SignInJson(string? User, string? Password, string? Token);

public sealed record UserJson(string Name, string DisplayName, string Team, string Tier, string Role);

/// <summary>Who is signed in, and whether reads need a sign-in here.</summary>
public sealed record SessionJson(UserJson User, string Via, bool ReadsNeedSignIn)
{
    public static SessionJson From(User u, CallerKind via, bool readsNeedSignIn) =>
        new(new UserJson(u.Name, u.DisplayName, u.Team, u.Tier, UserRoles.Of(u.Role)), via == CallerKind.Token ? "token" : "session", readsNeedSignIn);
}
