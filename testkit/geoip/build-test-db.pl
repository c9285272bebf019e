#!/usr/bin/perl
# Builds the synthetic GeoIP2-City database used by Kindling's tests and simulator.
#
#   perl testkit/geoip/build-test-db.pl [output.mmdb]
#
# Needs Debian's libmaxmind-db-writer-perl (apt-get install libmaxmind-db-writer-perl).
# The networks are invented for tests: they do not describe real address allocations.
# Keep the table below and GeoIpTestData.PLACES in step; GeoIpTestDataTest checks both agree.
use strict;
use warnings;
use utf8;

use MaxMind::DB::Writer::Tree;

my $output = shift @ARGV
    // 'testkit/src/main/resources/org/kindling/testkit/geoip/kindling-test-city.mmdb';

# A fixed build time keeps the output byte-for-byte reproducible; bump it when the table changes.
my $build_epoch = 1795478400;    # 2026-11-24T00:00:00Z

my %continent_names = (
    AF => 'Africa',
    AN => 'Antarctica',
    AS => 'Asia',
    EU => 'Europe',
    NA => 'North America',
    OC => 'Oceania',
    SA => 'South America',
);

my %country_names = (
    AQ => 'Antarctica',     AR => 'Argentina',    AU => 'Australia',
    BR => 'Brazil',         CA => 'Canada',       CL => 'Chile',
    CN => 'China',          CO => 'Colombia',     DE => 'Germany',
    EG => 'Egypt',          ES => 'Spain',        FR => 'France',
    GB => 'United Kingdom', ID => 'Indonesia',    IN => 'India',
    IT => 'Italy',          JP => 'Japan',        KE => 'Kenya',
    KR => 'South Korea',    MX => 'Mexico',       NG => 'Nigeria',
    NL => 'Netherlands',    NZ => 'New Zealand',  PL => 'Poland',
    SE => 'Sweden',         SG => 'Singapore',    UA => 'Ukraine',
    US => 'United States',  ZA => 'South Africa',
);

# network, country, continent, subdivision 1, subdivision 2, city, latitude, longitude,
# accuracy radius (km), time zone. Empty string = field absent.
my @places = (
    [ '2.10.0.0/16', 'DE', 'EU', 'BE',  '',   'Berlin',        52.5244,  13.4105,  20,   'Europe/Berlin' ],
    [ '2.11.0.0/16', 'DE', 'EU', 'BB',  '',   'Wittenberge',   52.9967,  11.7513,  100,  'Europe/Berlin' ],
    [ '2.12.0.0/16', 'FR', 'EU', 'IDF', '75', 'Paris',         48.8534,  2.3488,   10,   'Europe/Paris' ],
    [ '2.13.0.0/16', 'GB', 'EU', 'ENG', 'LND', 'London',       51.5085,  -0.1257,  5,    'Europe/London' ],
    [ '2.14.0.0/16', 'ES', 'EU', 'MD',  'M',  'Madrid',        40.4165,  -3.7026,  20,   'Europe/Madrid' ],
    [ '2.15.0.0/16', 'IT', 'EU', '62',  'RM', 'Rome',          41.8919,  12.5113,  20,   'Europe/Rome' ],
    [ '2.16.0.0/16', 'NL', 'EU', 'NH',  '',   'Amsterdam',     52.3740,  4.8897,   10,   'Europe/Amsterdam' ],
    [ '2.17.0.0/16', 'PL', 'EU', '14',  '',   'Warsaw',        52.2298,  21.0118,  20,   'Europe/Warsaw' ],
    [ '2.18.0.0/16', 'SE', 'EU', 'AB',  '',   'Stockholm',     59.3294,  18.0687,  20,   'Europe/Stockholm' ],
    [ '2.19.0.0/16', 'UA', 'EU', '30',  '',   'Kyiv',          50.4547,  30.5238,  50,   'Europe/Kyiv' ],
    [ '2.20.0.0/16', 'US', 'NA', 'CA',  '',   'San Francisco', 37.7749,  -122.4194, 10,  'America/Los_Angeles' ],
    [ '2.21.0.0/16', 'US', 'NA', 'CA',  '',   'Los Angeles',   34.0522,  -118.2437, 10,  'America/Los_Angeles' ],
    [ '2.22.0.0/16', 'US', 'NA', 'NY',  '',   'New York',      40.7128,  -74.0060, 5,    'America/New_York' ],
    [ '2.23.0.0/16', 'US', 'NA', 'CA',  '',   'Mariposa',      37.4849,  -119.9663, 100, 'America/Los_Angeles' ],
    [ '2.24.0.0/16', 'CA', 'NA', 'ON',  '',   'Toronto',       43.7001,  -79.4163, 10,   'America/Toronto' ],
    [ '2.25.0.0/16', 'MX', 'NA', 'CMX', '',   'Mexico City',   19.4285,  -99.1277, 20,   'America/Mexico_City' ],
    [ '2.26.0.0/16', 'BR', 'SA', 'SP',  '',   'São Paulo',     -23.5475, -46.6361, 20,   'America/Sao_Paulo' ],
    [ '2.27.0.0/16', 'AR', 'SA', 'C',   '',   'Buenos Aires',  -34.6131, -58.3772, 20,   'America/Argentina/Buenos_Aires' ],
    [ '2.28.0.0/16', 'CL', 'SA', 'RM',  '',   'Santiago',      -33.4569, -70.6483, 50,   'America/Santiago' ],
    [ '2.29.0.0/16', 'CO', 'SA', 'DC',  '',   'Bogotá',        4.6097,   -74.0818, 50,   'America/Bogota' ],
    [ '2.30.0.0/16', 'NG', 'AF', 'LA',  '',   'Lagos',         6.4541,   3.3947,   20,   'Africa/Lagos' ],
    [ '2.31.0.0/16', 'ZA', 'AF', 'GP',  '',   'Johannesburg',  -26.2023, 28.0436,  20,   'Africa/Johannesburg' ],
    [ '2.32.0.0/16', 'KE', 'AF', '30',  '',   'Nairobi',       -1.2833,  36.8167,  50,   'Africa/Nairobi' ],
    [ '2.33.0.0/16', 'EG', 'AF', 'C',   '',   'Cairo',         30.0626,  31.2497,  50,   'Africa/Cairo' ],
    [ '2.34.0.0/16', 'JP', 'AS', '13',  '',   'Tokyo',         35.6895,  139.6917, 20,   'Asia/Tokyo' ],
    [ '2.35.0.0/16', 'IN', 'AS', 'MH',  '',   'Mumbai',        19.0728,  72.8826,  20,   'Asia/Kolkata' ],
    [ '2.36.0.0/16', 'CN', 'AS', 'BJ',  '',   'Beijing',       39.9075,  116.3972, 50,   'Asia/Shanghai' ],
    [ '2.37.0.0/16', 'KR', 'AS', '11',  '',   'Seoul',         37.5660,  126.9784, 20,   'Asia/Seoul' ],
    [ '2.38.0.0/16', 'ID', 'AS', 'JK',  '',   'Jakarta',       -6.2146,  106.8451, 50,   'Asia/Jakarta' ],
    [ '2.39.0.0/16', 'SG', 'AS', '01',  '',   'Singapore',     1.2897,   103.8501, 5,    'Asia/Singapore' ],
    [ '2.40.0.0/16', 'AU', 'OC', 'NSW', '',   'Sydney',        -33.8679, 151.2073, 20,   'Australia/Sydney' ],
    [ '2.41.0.0/16', 'NZ', 'OC', 'AUK', '',   'Auckland',      -36.8485, 174.7633, 20,   'Pacific/Auckland' ],
    # Country-level answers only: no subdivision, no city, a coarse location.
    [ '2.42.0.0/16', 'AQ', 'AN', '',    '',   '',              -75.0,    0.0,      1000, '' ],
    [ '2.43.0.0/16', 'FR', 'EU', '',    '',   '',              46.0,     2.0,      500,  'Europe/Paris' ],
    # IPv6 networks.
    [ '2a0a:1000::/32', 'DE', 'EU', 'BE', '', 'Berlin',        52.5244,  13.4105,  20,   'Europe/Berlin' ],
    [ '2a0a:2000::/32', 'US', 'NA', 'CA', '', 'San Francisco', 37.7749,  -122.4194, 10,  'America/Los_Angeles' ],
);

my %types = (
    accuracy_radius    => 'uint16',
    city               => 'map',
    code               => 'utf8_string',
    continent          => 'map',
    country            => 'map',
    en                 => 'utf8_string',
    iso_code           => 'utf8_string',
    latitude           => 'double',
    location           => 'map',
    longitude          => 'double',
    names              => 'map',
    registered_country => 'map',
    subdivisions       => [ 'array', 'map' ],
    time_zone          => 'utf8_string',
);

my $tree = MaxMind::DB::Writer::Tree->new(
    ip_version            => 6,
    record_size           => 28,
    database_type         => 'GeoIP2-City',
    languages             => ['en'],
    description           => { en => 'Kindling synthetic GeoIP2-City test database (invented networks)' },
    alias_ipv6_to_ipv4    => 1,
    map_key_type_callback => sub { $types{ $_[0] } },
);
$tree->_set_build_epoch($build_epoch);

for my $place (@places) {
    my ( $network, $country, $continent, $sub1, $sub2, $city, $lat, $lon, $radius, $tz ) = @$place;
    my %country_record = ( iso_code => $country, names => { en => $country_names{$country} } );
    my %record = (
        continent          => { code => $continent, names => { en => $continent_names{$continent} } },
        country            => {%country_record},
        registered_country => {%country_record},
        location           => { latitude => $lat, longitude => $lon, accuracy_radius => $radius },
    );
    $record{location}{time_zone} = $tz if $tz ne '';
    my @subdivisions;
    push @subdivisions, { iso_code => $sub1 } if $sub1 ne '';
    push @subdivisions, { iso_code => $sub2 } if $sub2 ne '';
    $record{subdivisions} = \@subdivisions if @subdivisions;
    $record{city} = { names => { en => $city } } if $city ne '';
    $tree->insert_network( $network, \%record );
}

open my $fh, '>:raw', $output or die "cannot write $output: $!";
$tree->write_tree($fh);
close $fh or die "cannot close $output: $!";
print "wrote $output\n";
