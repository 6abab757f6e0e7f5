namespace Helpdesk.Monitoring.Outbound;

/// <summary>
/// What customers read, in their language (the rules file's customers.NAME.language): the subject and the opening
/// sentence per event, and the few words around them. Plain words, no internal detail: no tier, no Nagios output.
/// </summary>
internal sealed record CustomerTexts(
    string Opened, string Update, string Note, string Resolved, string Reopened, string Closed,
    string On, string Status, string Priority, string Affects, string LatestNote, string NoNewNote, string Cause, string Fix,
    string Confirm, string StillBroken, string Rate, string Signature)
{
    public static CustomerTexts Of(string language) => language == "de" ? German : English;

    public string Subject(string kind) => kind switch
    {
        "opened" => Opened,
        "customer_update" => Update,
        "customer_note" => Note,
        "resolved" => Resolved,
        "reopened" => Reopened,
        _ => Closed,
    };

    public static string StatusWord(string language, string status) => (language, status) switch
    {
        ("de", "open") => "in Bearbeitung",
        ("de", "acknowledged") => "in Bearbeitung: ein Techniker kümmert sich darum",
        ("de", "resolved") => "gelöst, wartet auf Ihre Bestätigung",
        ("de", _) => "abgeschlossen",
        (_, "open") => "being worked on",
        (_, "acknowledged") => "being worked on: a technician has taken it on",
        (_, "resolved") => "resolved, waiting for your confirmation",
        _ => "closed",
    };

    private static readonly CustomerTexts English = new(
        Opened: "We are working on a problem that affects you",
        Update: "Status update",
        Note: "News about your incident",
        Resolved: "Resolved: please confirm",
        Reopened: "Reopened: we are working on it again",
        Closed: "Closed: how did we do?",
        On: "on",
        Status: "Status",
        Priority: "Priority",
        Affects: "Affects",
        LatestNote: "Latest news from the helpdesk",
        NoNewNote: "We are still working on it; we will write again at the next update.",
        Cause: "Cause",
        Fix: "Fix",
        Confirm: "Please tell us whether it works for you again (confirm, or say it is still broken)",
        StillBroken: "If we hear nothing, the incident closes after the verification period.",
        Rate: "How satisfied are you with how we handled it? A rating from 1 to 5, and a comment if you like",
        Signature: "Your helpdesk");

    private static readonly CustomerTexts German = new(
        Opened: "Wir arbeiten an einer Störung, die Sie betrifft",
        Update: "Statusmeldung",
        Note: "Neuigkeiten zu Ihrer Störung",
        Resolved: "Gelöst: bitte bestätigen",
        Reopened: "Wieder geöffnet: wir arbeiten erneut daran",
        Closed: "Abgeschlossen: wie zufrieden waren Sie?",
        On: "auf",
        Status: "Status",
        Priority: "Priorität",
        Affects: "Betrifft",
        LatestNote: "Neuestes vom Helpdesk",
        NoNewNote: "Wir arbeiten weiter daran und melden uns zur nächsten Statusmeldung.",
        Cause: "Ursache",
        Fix: "Behebung",
        Confirm: "Bitte sagen Sie uns, ob wieder alles funktioniert (bestätigen, oder melden, dass es noch nicht geht)",
        StillBroken: "Hören wir nichts, wird die Störung nach der Prüffrist geschlossen.",
        Rate: "Wie zufrieden sind Sie mit der Bearbeitung? Eine Bewertung von 1 bis 5, gern mit Kommentar",
        Signature: "Ihr Helpdesk");
}
