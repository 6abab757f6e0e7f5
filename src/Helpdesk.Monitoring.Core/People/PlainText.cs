using System.Text;

namespace Helpdesk.Monitoring.People;

/// <summary>
/// Text that people write (notes, causes, a customer's comment) and that others later read in a browser, an e-mail or
/// a terminal. Control characters have no place in it: in a terminal an escape sequence written into a note would
/// recolour, retitle or rewrite the reader's screen. Line breaks and tabs are text.
/// </summary>
public static class PlainText
{
    /// <summary>The first control character other than a tab or a line break (CR, LF), or null when there is none.</summary>
    public static char? FirstControl(string? text)
    {
        foreach (var c in text ?? "")
        {
            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r'))
            {
                return c;
            }
        }

        return null;
    }

    /// <summary>
    /// The text with every control character but tabs and line feeds shown as U+FFFD; a CR LF becomes a line feed, a lone
    /// CR (which would return the cursor and let the rest of the line overwrite what came before) is replaced too.
    /// </summary>
    public static string Clean(string text)
    {
        var clean = true;
        foreach (var c in text)
        {
            if (char.IsControl(c) && c is not ('\t' or '\n'))
            {
                clean = false;
                break;
            }
        }

        if (clean)
        {
            return text;
        }

        var cleaned = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                continue;
            }

            cleaned.Append(char.IsControl(c) && c is not ('\t' or '\n') ? '\uFFFD' : c);
        }

        return cleaned.ToString();
    }
}
