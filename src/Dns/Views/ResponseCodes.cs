namespace RulesApi.Dns.Views;

/// <summary>DNS response codes by the names people see in dig's output (RFC 1035 §4.1.1, RFC 6895).</summary>
public static class ResponseCodes
{
    public static string Name(int code) => code switch
    {
        0 => "NOERROR",
        1 => "FORMERR",
        2 => "SERVFAIL",
        3 => "NXDOMAIN",
        4 => "NOTIMP",
        5 => "REFUSED",
        _ => $"RCODE{code}",
    };

    /// <summary>How a failure reads in a finding, the same from every view: "ns1.example.com. (192.0.2.1) answered SERVFAIL".</summary>
    public static string Answered(string server, int code) => $"{server} answered {Name(code)}";

    public static string NoAnswer(string server) => $"{server} did not answer";

    public static string Lame(string server) => $"{server} is lame (answered without authority and without a referral)";
}
