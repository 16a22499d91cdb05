using System.Buffers.Binary;
using System.Net;
using System.Text;
using RulesApi.Dns.Names;
using RulesApi.Dns.Records;

namespace RulesApi.Dns.ZoneFiles;

/// <summary>
/// Decodes uncompressed wire-format RDATA (as found in RFC 3597 <c>\#</c> text) into typed data for
/// the types rules read. Returns null when the type is not decoded here or the octets do not fit it.
/// </summary>
internal static class WireRdataDecoder
{
    public static RecordData? TryDecode(RecordType type, byte[] octets)
    {
        try
        {
            return type.Value switch
            {
                RecordType.Codes.A when octets.Length == 4 => new AddressData(new IPAddress(octets)),
                RecordType.Codes.AAAA when octets.Length == 16 => new AddressData(new IPAddress(octets)),
                RecordType.Codes.NS or RecordType.Codes.CNAME or RecordType.Codes.PTR or RecordType.Codes.DNAME => ReadName(octets, 0, out var end) is { } name && end == octets.Length ? new NameData(name) : null,
                RecordType.Codes.MX when octets.Length > 2 => ReadName(octets, 2, out var end) is { } exchange && end == octets.Length
                    ? new MxData(BinaryPrimitives.ReadUInt16BigEndian(octets), exchange) : null,
                RecordType.Codes.TXT => DecodeTxt(octets),
                RecordType.Codes.CAA => DecodeCaa(octets),
                _ => null,
            };
        }
        catch (IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static TxtData? DecodeTxt(byte[] octets)
    {
        var strings = new List<string>();
        var position = 0;
        while (position < octets.Length)
        {
            var length = octets[position++];
            if (position + length > octets.Length)
            {
                return null;
            }

            strings.Add(Encoding.Latin1.GetString(octets, position, length));
            position += length;
        }

        return strings.Count == 0 ? null : new TxtData(strings);
    }

    private static CaaData? DecodeCaa(byte[] octets)
    {
        // RFC 8659 §4.1: flags (1), tag length (1), tag, value (the rest).
        if (octets.Length < 2 || octets[1] == 0 || 2 + octets[1] > octets.Length)
        {
            return null;
        }

        var tag = Encoding.Latin1.GetString(octets, 2, octets[1]);
        if (!tag.All(char.IsAsciiLetterOrDigit))
        {
            return null;
        }

        return new CaaData(octets[0], tag, Encoding.Latin1.GetString(octets, 2 + octets[1], octets.Length - 2 - octets[1]));
    }

    private static DnsName? ReadName(byte[] octets, int start, out int end)
    {
        var labels = new List<string>();
        var position = start;
        end = start;
        while (true)
        {
            var length = octets[position++];
            if (length == 0)
            {
                break;
            }

            if (length > DnsName.MaxLabelOctets)
            {
                return null; // compression pointers are not allowed in RFC 3597 text
            }

            var label = new StringBuilder();
            foreach (var octet in octets.AsSpan(position, length))
            {
                LabelScanner.AppendOctet(label, octet);
            }

            labels.Add(label.ToString());
            position += length;
        }

        end = position;
        return DnsName.TryParse(labels.Count == 0 ? "." : string.Join('.', labels) + ".", out var name, out _) ? name : null;
    }
}
