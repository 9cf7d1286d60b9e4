#!/bin/sh
# Makes networks/, the table of autonomous systems bundled with Loupe, from the npm package that package.json pins
# (its integrity is in package-lock.json). The build runs it (pom.xml); a table of the pinned version already
# there is kept, so only the first build fetches.
set -eu
cd "$(dirname "$0")"
version=$(sed -n 's/.*"@ip-location-db\/asn": "\([^"]*\)".*/\1/p' package.json)
if [ -f networks/table.properties ] && grep -qx "version=ip-location-db asn $version" networks/table.properties; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "table.sh: npm is needed to fetch the table of autonomous systems (Debian: apt-get install npm)" >&2
  exit 1
fi
npm ci --ignore-scripts --no-audit --no-fund --prefer-offline --loglevel=error
pkg=node_modules/@ip-location-db/asn
rm -rf networks.tmp
mkdir networks.tmp
cp "$pkg/asn-ipv4.csv" "$pkg/asn-ipv6.csv" networks.tmp/
for f in ROUTEVIEWS-LICENSE DBIP-LICENSE NRO_LICENSE MODIFICATIONS; do
  cp "$pkg/$f" "networks.tmp/$f.txt"
done
cat > networks.tmp/table.properties <<EOF
version=ip-location-db asn $version
files=asn-ipv4.csv,asn-ipv6.csv
attribution=IP to ASN data by RouteViews (routeviews.org), DB-IP (db-ip.com, IP to ASN Lite) and the NRO (nro.net), merged by ip-location-db (github.com/sapics/ip-location-db), version $version; CC BY 4.0.
EOF
rm -rf networks
mv networks.tmp networks
