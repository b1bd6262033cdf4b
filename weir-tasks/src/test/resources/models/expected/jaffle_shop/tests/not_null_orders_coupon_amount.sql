-- not_null: the rows whose coupon_amount is null
select coupon_amount
from "main"."orders"
where coupon_amount is null
