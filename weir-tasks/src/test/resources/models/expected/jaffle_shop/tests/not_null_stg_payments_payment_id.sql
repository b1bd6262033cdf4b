-- not_null: the rows whose payment_id is null
select payment_id
from "main"."stg_payments"
where payment_id is null
