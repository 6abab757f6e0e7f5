#!/usr/bin/env bash
# TLS for the scale-out profile's SQL Server, made once into a volume by docker-compose.yml's "tls" service: a private
# CA, a certificate for the name "sqlserver" signed by it (key readable only by the SQL Server image's mssql user, uid
# 10001, which runs SQL Server without root), and trust.pem, the system's CA bundle plus this CA, which the helpdesk
# containers trust (SSL_CERT_FILE). The service connects with Encrypt=True and TrustServerCertificate=False.
# Existing files are kept: a restart does not replace a certificate in use.
#   make-tls.sh DIR [SQLSERVER_UID]
set -euo pipefail
dir=${1:?usage: make-tls.sh DIR [SQLSERVER_UID]}
owner=${2:-10001}
mkdir -p "$dir"
cd "$dir"
if [ ! -s tls.crt ] || [ ! -s tls.key ] || [ ! -s ca.crt ]; then
  umask 077
  openssl req -x509 -newkey rsa:3072 -nodes -days 3650 -subj "/CN=helpdesk stack CA" -keyout ca.key -out ca.crt 2>/dev/null
  openssl req -newkey rsa:3072 -nodes -subj "/CN=sqlserver" -keyout tls.key -out tls.csr 2>/dev/null
  printf 'subjectAltName=DNS:sqlserver\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n' > tls.ext
  openssl x509 -req -in tls.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 825 -extfile tls.ext -out tls.crt 2>/dev/null
  rm -f tls.csr tls.ext ca.srl
fi
cat /etc/ssl/certs/ca-certificates.crt ca.crt > trust.pem.tmp && mv trust.pem.tmp trust.pem
chmod 0644 ca.crt tls.crt trust.pem
chmod 0600 ca.key tls.key
chown "$owner" tls.key tls.crt
echo "make-tls.sh: certificate for sqlserver in $dir (CA ca.crt, trust bundle trust.pem)"
