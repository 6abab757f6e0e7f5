using System.Net;
using System.Text;

namespace Helpdesk.Monitoring.IntegrationTests.Fixtures;

/// <summary>Requests and answers of the API tests: a JSON body, and an answer's status and a sentence it must contain.</summary>
internal static class HttpAnswers
{
    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>The status, and <paramref name="contains"/> in the body; the failure shows both.</summary>
    public static async Task ExpectAsync(HttpStatusCode status, string contains, HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
            Assert.Contains(contains, text, StringComparison.Ordinal);
        }
    }
}
