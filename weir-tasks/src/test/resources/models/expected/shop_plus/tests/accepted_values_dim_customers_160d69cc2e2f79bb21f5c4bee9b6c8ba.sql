-- accepted_values: the values of region outside the list
select region as value_field, count(*) as n_records
from "main_marts"."customers"
where region not in (
    'EMEA',
    'AMER',
    'APAC',
    'GLOBAL'
)
group by region
