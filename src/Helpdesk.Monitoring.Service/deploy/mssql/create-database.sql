-- Creates the service's database and login on first start of the scale-out profile (docker-compose.yml's
-- "sqlserver-init" runs it with sqlcmd -v HELPDESK_DB_PASSWORD=...). Idempotent: every later start changes nothing.
-- The service creates its own schema at start.
IF DB_ID(N'helpdesk') IS NULL
    CREATE DATABASE helpdesk;
GO
IF SUSER_ID(N'helpdesk') IS NULL
    CREATE LOGIN helpdesk WITH PASSWORD = N'$(HELPDESK_DB_PASSWORD)', CHECK_POLICY = ON;
GO
USE helpdesk;
GO
IF USER_ID(N'helpdesk') IS NULL
BEGIN
    CREATE USER helpdesk FOR LOGIN helpdesk;
    ALTER ROLE db_owner ADD MEMBER helpdesk;
END
GO
