-- The permission matrix is data: routes name a permission, roles grant them, and a test walks
-- every route against this table. Change the matrix with a new migration.

insert into permission (code, description) values
  ('org.read', 'View the org-unit tree'),
  ('org.write', 'Edit the org-unit tree'),
  ('user.read', 'View staff users and their roles'),
  ('user.write', 'Create, change and disable staff users'),
  ('reference.read', 'View reference data (tariffs, categories, meter types, banks, ...)'),
  ('reference.write', 'Edit reference data'),
  ('consumer.read', 'View consumers, contracts and meters'),
  ('consumer.write', 'Create and change consumers, contracts and meters'),
  ('reading.read', 'View meter readings'),
  ('reading.write', 'Enter and import meter readings'),
  ('reading.confirm', 'Confirm readings with a signature'),
  ('billing.read', 'View bills, bill runs and documents'),
  ('billing.run', 'Start bill runs'),
  ('billing.close', 'Close billing periods'),
  ('payment.read', 'View payments'),
  ('payment.write', 'Book and match payments'),
  ('payment.reverse', 'Reverse payments'),
  ('application.read', 'View consumer applications'),
  ('application.write', 'Process consumer applications'),
  ('claim.read', 'View claims and court cases'),
  ('claim.write', 'Manage claims and court cases'),
  ('switch.command', 'Disconnect and reconnect meters'),
  ('report.read', 'View and export reports'),
  ('audit.read', 'View the audit log');

insert into role_permission (role_code, permission_code)
select 'admin', code from permission;

insert into role_permission (role_code, permission_code)
select 'analyst', code from permission where code like '%.read';

insert into role_permission (role_code, permission_code) values
  ('operator', 'org.read'), ('operator', 'reference.read'), ('operator', 'consumer.read'),
  ('operator', 'consumer.write'), ('operator', 'reading.read'), ('operator', 'reading.write'),
  ('operator', 'reading.confirm'), ('operator', 'billing.read'), ('operator', 'billing.run'),
  ('operator', 'payment.read'), ('operator', 'payment.write'), ('operator', 'application.read'),
  ('operator', 'application.write'),
  ('inspector', 'org.read'), ('inspector', 'reference.read'), ('inspector', 'consumer.read'),
  ('inspector', 'reading.read'), ('inspector', 'reading.write'), ('inspector', 'application.read'),
  ('inspector', 'application.write'), ('inspector', 'switch.command'),
  ('clerk', 'org.read'), ('clerk', 'reference.read'), ('clerk', 'consumer.read'), ('clerk', 'reading.read'),
  ('clerk', 'billing.read'), ('clerk', 'payment.read'), ('clerk', 'application.read'),
  ('clerk', 'application.write'),
  ('accountant', 'org.read'), ('accountant', 'reference.read'), ('accountant', 'consumer.read'),
  ('accountant', 'billing.read'), ('accountant', 'billing.close'), ('accountant', 'payment.read'),
  ('accountant', 'payment.write'), ('accountant', 'payment.reverse'), ('accountant', 'report.read'),
  ('lawyer', 'org.read'), ('lawyer', 'consumer.read'), ('lawyer', 'billing.read'),
  ('lawyer', 'payment.read'), ('lawyer', 'claim.read'), ('lawyer', 'claim.write');
